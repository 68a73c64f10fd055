package content

import (
	"net/url"
	"sort"
	"strings"
)

// Tracking and referral parameters (rule tracking-link).
const (
	trackAffiliate = "affiliate" // affiliate, sub and offer ids of CPA networks
	trackClickID   = "click-id"  // ad-platform click ids (gclid, fbclid…)
	trackCampaign  = "campaign"  // utm_* and ref: everywhere, honest too
)

var affiliateParams = map[string]bool{
	"aff": true, "affid": true, "aff_id": true, "affiliate": true, "affiliate_id": true, "affiliateid": true,
	"aff_sub": true, "aff_sub1": true, "aff_sub2": true, "aff_sub3": true, "aff_click_id": true,
	"subid": true, "sub_id": true, "sub1": true, "sub2": true, "sub3": true, "sub4": true, "sub5": true,
	"clickid": true, "click_id": true, "offer_id": true, "offerid": true, "pub_id": true, "pubid": true,
	"publisher_id": true, "refid": true, "ref_id": true, "referral": true, "referral_code": true,
	"refcode": true, "ref_code": true, "invite_code": true, "partner_id": true,
}

var clickIDParams = map[string]bool{
	"gclid": true, "fbclid": true, "msclkid": true, "ttclid": true, "twclid": true, "dclid": true,
	"yclid": true, "wbraid": true, "gbraid": true, "li_fat_id": true, "epik": true, "rdt_cid": true,
}

// trackingParams returns the tracking parameters of href, by class
// (strongest first), and the names found.
func trackingParams(href string) (class string, names []string) {
	i := strings.IndexByte(href, '?')
	if i < 0 {
		return "", nil
	}
	q := href[i+1:]
	if j := strings.IndexByte(q, '#'); j >= 0 {
		q = q[:j]
	}
	vals, _ := url.ParseQuery(q) // what parses is enough
	rank := 0
	for k := range vals {
		lk := strings.ToLower(k)
		r := 0
		switch {
		case affiliateParams[lk]:
			r = 3
		case clickIDParams[lk]:
			r = 2
		case strings.HasPrefix(lk, "utm_") || lk == "ref" || lk == "referrer" || lk == "ref_src":
			r = 1
		}
		if r > 0 {
			names = append(names, lk)
			rank = max(rank, r)
		}
	}
	sort.Strings(names)
	switch rank {
	case 3:
		return trackAffiliate, names
	case 2:
		return trackClickID, names
	case 1:
		return trackCampaign, names
	}
	return "", nil
}
