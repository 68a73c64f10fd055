package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// sqlStore is the Store over database/sql, for both dialects.
type sqlStore struct {
	d    dialect
	w, r *sql.DB

	mu     sync.RWMutex
	closed bool
	reqs   chan *saveReq
	done   chan struct{}
	opts   Options

	batches atomic.Int64 // transactions committed by writeLoop, for tests

	stmts writeStmts
}

// writeStmts are the writer's prepared statements.
type writeStmts struct {
	upsertCheck, deleteFindings, insertFinding *sql.Stmt
}

// The writer's statements, in the $N form (q adapts them to SQLite).
const (
	upsertCheckSQL = `INSERT INTO checks (kind, ecosystem, name, version, source, verdict, package, first_seen, checked_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
ON CONFLICT (kind, ecosystem, name, version, source) DO UPDATE SET verdict = excluded.verdict, package = excluded.package,
  checked_at = excluded.checked_at,
  first_seen = CASE WHEN excluded.first_seen < checks.first_seen THEN excluded.first_seen ELSE checks.first_seen END
RETURNING id`
	deleteFindingsSQL = `DELETE FROM findings WHERE check_id = $1`
	insertFindingSQL  = `INSERT INTO findings (check_id, seq, rule, severity, confidence, message, evidence, checked_at, ecosystem, verdict)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
)

// prepare prepares the writer's statements.
func (s *sqlStore) prepare(ctx context.Context) error {
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{{&s.stmts.upsertCheck, upsertCheckSQL}, {&s.stmts.deleteFindings, deleteFindingsSQL}, {&s.stmts.insertFinding, insertFindingSQL}} {
		st, err := s.w.PrepareContext(ctx, s.q(p.query))
		if err != nil {
			return fmt.Errorf("store: preparing: %w", err)
		}
		*p.dst = st
	}
	return nil
}

// saveReq is one queued SaveCheck.
type saveReq struct {
	ctx  context.Context
	c    Check
	id   int64
	err  error
	done chan struct{}
}

// q adapts a $N query to the dialect (SQLite reads ?N).
func (s *sqlStore) q(query string) string {
	if s.d == dialectSQLite {
		return strings.ReplaceAll(query, "$", "?")
	}
	return query
}

func us(t time.Time) int64     { return t.UnixMicro() }
func fromUS(v int64) time.Time { return time.UnixMicro(v).UTC() }

// validText: what both databases store as text.
func validText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// cleanText replaces what a database cannot store.
func cleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

func validate(c *Check) error {
	switch c.Kind {
	case KindPackage:
		if c.Ecosystem == "" {
			return fmt.Errorf("%w: package check without ecosystem", ErrInvalid)
		}
	case KindDomain, KindEmail, KindRegistry:
	default:
		return fmt.Errorf("%w: kind %q", ErrInvalid, c.Kind)
	}
	switch c.Verdict {
	case record.Allow, record.Warn, record.Block:
	default:
		return fmt.Errorf("%w: verdict %q", ErrInvalid, c.Verdict)
	}
	if c.Name == "" || c.Source == "" {
		return fmt.Errorf("%w: name and source are required", ErrInvalid)
	}
	for _, f := range []string{string(c.Ecosystem), c.Name, c.Version, c.Source} {
		if !validText(f) {
			return fmt.Errorf("%w: invalid UTF-8 or NUL in %q", ErrInvalid, f)
		}
	}
	if len(c.Package) > 0 && (!json.Valid(c.Package) || !utf8.Valid(c.Package)) {
		return fmt.Errorf("%w: package is not valid JSON", ErrInvalid)
	}
	if c.CheckedAt.IsZero() {
		c.CheckedAt = time.Now()
	}
	c.CheckedAt = c.CheckedAt.Truncate(time.Microsecond).UTC()
	return nil
}

func (s *sqlStore) SaveCheck(ctx context.Context, c Check) (int64, error) {
	if err := validate(&c); err != nil {
		return 0, err
	}
	req := &saveReq{ctx: ctx, c: c, done: make(chan struct{})}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return 0, ErrClosed
	}
	select {
	case s.reqs <- req:
	case <-ctx.Done():
		s.mu.RUnlock()
		return 0, ctx.Err()
	}
	s.mu.RUnlock()
	select {
	case <-req.done:
		return req.id, req.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// writeLoop coalesces queued saves into transactions until reqs closes.
func (s *sqlStore) writeLoop() {
	defer close(s.done)
	window, size := s.opts.BatchWindow, s.opts.BatchSize
	if window == 0 {
		window = DefaultBatchWindow
	}
	if size <= 0 {
		size = DefaultBatchSize
	}
	for {
		first, ok := <-s.reqs
		if !ok {
			return
		}
		batch := []*saveReq{first}
		deadline := time.Now().Add(window)
	collect:
		for len(batch) < size {
			select {
			case r, ok := <-s.reqs:
				if !ok {
					break collect
				}
				batch = append(batch, r)
				continue
			default:
			}
			wait := time.Until(deadline)
			if window < 0 || wait <= 0 {
				break
			}
			t := time.NewTimer(wait)
			select {
			case r, ok := <-s.reqs:
				t.Stop()
				if !ok {
					break collect
				}
				batch = append(batch, r)
			case <-t.C:
				break collect
			}
		}
		s.commit(batch)
	}
}

// commit writes a batch in one transaction; when that fails, each save
// is retried alone (the upsert is idempotent) so it gets its own error.
func (s *sqlStore) commit(batch []*saveReq) {
	live := batch[:0:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			close(r.done)
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	s.batches.Add(1)
	if err := s.tx(live); err != nil && len(live) > 1 {
		for _, r := range live {
			r.err = s.tx([]*saveReq{r})
		}
	} else {
		for _, r := range live {
			r.err = err
		}
	}
	for _, r := range live {
		if r.err != nil {
			r.id = 0
		}
		close(r.done)
	}
}

func (s *sqlStore) tx(batch []*saveReq) error {
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The statements are prepared once per connection (parsing them was a
	// third of the writer's time); the transaction borrows them.
	delFindings := tx.StmtContext(ctx, s.stmts.deleteFindings)
	addFinding := tx.StmtContext(ctx, s.stmts.insertFinding)
	for _, r := range batch {
		c := &r.c
		var pkg any
		if len(c.Package) > 0 {
			pkg = string(c.Package)
		}
		at := us(c.CheckedAt)
		err := tx.StmtContext(ctx, s.stmts.upsertCheck).QueryRowContext(ctx, string(c.Kind), string(c.Ecosystem), c.Name, c.Version, c.Source, string(c.Verdict), pkg, at).Scan(&r.id)
		if err != nil {
			return fmt.Errorf("store: saving check: %w", err)
		}
		if _, err := delFindings.ExecContext(ctx, r.id); err != nil {
			return fmt.Errorf("store: replacing findings: %w", err)
		}
		// Inserted last first, so that id order (newest first) lists a
		// check's findings in their saved order.
		for i := len(c.Findings) - 1; i >= 0; i-- {
			f := c.Findings[i]
			var ev any
			if len(f.Evidence) > 0 {
				b, err := json.Marshal(f.Evidence)
				if err != nil {
					return fmt.Errorf("%w: evidence of %s: %v", ErrInvalid, f.Rule, err)
				}
				ev = string(b)
			}
			if _, err := addFinding.ExecContext(ctx, r.id, i, cleanText(f.Rule), f.Severity.String(), f.Confidence, cleanText(f.Message), ev, at, string(c.Ecosystem), string(c.Verdict)); err != nil {
				return fmt.Errorf("store: saving finding: %w", err)
			}
		}
	}
	return tx.Commit()
}

func (s *sqlStore) Package(ctx context.Context, eco ecosystem.Ecosystem, name string) ([]VersionRecord, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT id, version, source, verdict, package, first_seen, checked_at FROM checks
WHERE kind = 'package' AND ecosystem = $1 AND name = $2 ORDER BY first_seen DESC, id DESC`), string(eco), name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []VersionRecord
	idx := map[int64]int{}
	for rows.Next() {
		var v VersionRecord
		var pkg sql.NullString
		var first, last int64
		if err := rows.Scan(&v.CheckID, &v.Version, &v.Source, &v.Verdict, &pkg, &first, &last); err != nil {
			return nil, err
		}
		if pkg.Valid {
			v.Package = json.RawMessage(pkg.String)
		}
		v.FirstSeen, v.CheckedAt = fromUS(first), fromUS(last)
		idx[v.CheckID] = len(out)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	frows, err := s.r.QueryContext(ctx, s.q(`SELECT check_id, rule, severity, confidence, message, evidence FROM findings
WHERE check_id IN (SELECT id FROM checks WHERE kind = 'package' AND ecosystem = $1 AND name = $2) ORDER BY check_id, seq`), string(eco), name)
	if err != nil {
		return nil, err
	}
	err = scanFindings(frows, func(id int64, f record.Finding) {
		if i, ok := idx[id]; ok {
			out[i].Findings = append(out[i].Findings, f)
		}
	})
	return out, err
}

func (s *sqlStore) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.reqs)
	s.mu.Unlock()
	<-s.done
	for _, st := range []*sql.Stmt{s.stmts.upsertCheck, s.stmts.deleteFindings, s.stmts.insertFinding} {
		st.Close()
	}
	err := s.w.Close()
	if s.r != s.w {
		s.r.Close()
	}
	return err
}

// scanFindings reads rows of (check_id, rule, severity, confidence,
// message, evidence), in order, calling add for each, and closes rows.
// Severity and evidence that do not parse are left at their zero values:
// the store wrote them, but reads them as data.
func scanFindings(rows *sql.Rows, add func(checkID int64, f record.Finding)) error {
	defer rows.Close()
	for rows.Next() {
		var id int64
		var f record.Finding
		var sev string
		var ev sql.NullString
		if err := rows.Scan(&id, &f.Rule, &sev, &f.Confidence, &f.Message, &ev); err != nil {
			return err
		}
		f.Severity, _ = record.ParseSeverity(sev)
		if ev.Valid {
			_ = json.Unmarshal([]byte(ev.String), &f.Evidence)
		}
		add(id, f)
	}
	return rows.Err()
}
