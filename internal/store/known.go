package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/ecosystem"
)

// MaxCampaignSigs bounds the member signatures kept per campaign.
const MaxCampaignSigs = 200

// SetCampaignSigs replaces the member signatures kept for a campaign (at
// most MaxCampaignSigs; the rest are dropped). ErrNotFound when the
// campaign is unknown.
func (s *sqlStore) SetCampaignSigs(ctx context.Context, id string, sigs []campaign.CompactSig) error {
	if len(sigs) > MaxCampaignSigs {
		sigs = sigs[:MaxCampaignSigs]
	}
	b, err := json.Marshal(sigs)
	if err != nil {
		return fmt.Errorf("%w: signatures: %v", ErrInvalid, err)
	}
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE campaigns SET sigs = $2 WHERE id = $1`), id, string(b))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// KnownCampaigns returns what the gate's matcher needs of the most
// recently seen campaigns (at most limit, MaxLimit at most): id, size,
// confidence, indicators, members and kept signatures.
func (s *sqlStore) KnownCampaigns(ctx context.Context, lim int) ([]campaign.Known, error) {
	n, err := limit(lim)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT id, confidence, indicators, size, sigs FROM campaigns
		WHERE size > 0 ORDER BY last_seen DESC, id LIMIT $1`), n)
	if err != nil {
		return nil, err
	}
	var out []campaign.Known
	for rows.Next() {
		var k campaign.Known
		var ind string
		var sigs sql.NullString
		if err := rows.Scan(&k.ID, &k.Confidence, &ind, &k.Size, &sigs); err != nil {
			rows.Close()
			return nil, err
		}
		// What the store holds was written by pkgward, but it is read
		// as untrusted: a bad value leaves the field empty.
		_ = json.Unmarshal([]byte(ind), &k.Indicators)
		if sigs.Valid {
			_ = json.Unmarshal([]byte(sigs.String), &k.Sigs)
		}
		out = append(out, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		mrows, err := s.r.QueryContext(ctx, s.q(`SELECT ecosystem, name, version FROM campaign_members WHERE campaign_id = $1 ORDER BY ecosystem, name, version LIMIT $2`), out[i].ID, MaxLimit*10)
		if err != nil {
			return nil, err
		}
		for mrows.Next() {
			var m campaign.Member
			var eco string
			if err := mrows.Scan(&eco, &m.Name, &m.Version); err != nil {
				mrows.Close()
				return nil, err
			}
			m.Ecosystem = ecosystem.Ecosystem(eco)
			out[i].Members = append(out[i].Members, m)
		}
		mrows.Close()
		if err := mrows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
