package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// RecentPackage is a stored package check with its record, for
// re-clustering what was seen lately.
type RecentPackage struct {
	CheckID   int64
	Ecosystem ecosystem.Ecosystem
	Name      string
	Version   string
	Source    string
	Verdict   record.Verdict
	Package   json.RawMessage
	Findings  []record.Finding
	FirstSeen time.Time
}

// MaxRecent bounds RecentPackages.
const MaxRecent = 1 << 20

func (s *sqlStore) RecentPackages(ctx context.Context, since time.Time, lim int) ([]RecentPackage, error) {
	if lim <= 0 || lim > MaxRecent {
		return nil, fmt.Errorf("%w: limit %d (want 1 to %d)", ErrInvalid, lim, MaxRecent)
	}
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT id, ecosystem, name, version, source, verdict, package, first_seen FROM checks
		WHERE kind = 'package' AND package IS NOT NULL AND checked_at >= $1 ORDER BY checked_at DESC, id DESC LIMIT $2`), us(since), lim)
	if err != nil {
		return nil, err
	}
	var out []RecentPackage
	byID := map[int64]int{}
	for rows.Next() {
		var p RecentPackage
		var pkg string
		var first int64
		if err := rows.Scan(&p.CheckID, &p.Ecosystem, &p.Name, &p.Version, &p.Source, &p.Verdict, &pkg, &first); err != nil {
			rows.Close()
			return nil, err
		}
		p.Package, p.FirstSeen = json.RawMessage(pkg), fromUS(first)
		byID[p.CheckID] = len(out)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	frows, err := s.r.QueryContext(ctx, s.q(`SELECT f.check_id, f.rule, f.severity, f.confidence, f.message, f.evidence FROM findings f
		JOIN checks c ON c.id = f.check_id
		WHERE c.kind = 'package' AND c.package IS NOT NULL AND c.checked_at >= $1 ORDER BY f.check_id, f.seq`), us(since))
	if err != nil {
		return nil, err
	}
	err = scanFindings(frows, func(id int64, f record.Finding) {
		if i, ok := byID[id]; ok {
			out[i].Findings = append(out[i].Findings, f)
		}
	})
	return out, err
}

func (s *sqlStore) MemberCampaigns(ctx context.Context, eco ecosystem.Ecosystem, name, version string) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT campaign_id FROM campaign_members WHERE ecosystem = $1 AND name = $2 AND version = $3 ORDER BY campaign_id`),
		string(eco), name, version)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
