package monitor

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/pkgward/pkgward/internal/feed"
	"github.com/pkgward/pkgward/internal/store"
)

// follow polls one feed whenever this process holds its lead, until ctx
// ends.
func (m *Monitor) follow(ctx context.Context, s Source) {
	eco := s.Feed.Ecosystem()
	log := m.cfg.Logger.With("feed", string(eco))
	for ctx.Err() == nil {
		lead, err := m.lead(ctx, string(eco))
		if err != nil {
			log.Warn("cannot take the feed's lock", "err", err)
			sleep(ctx, m.cfg.PollInterval)
			continue
		}
		if lead == nil {
			// Another process polls this feed; look again later, so
			// that one of us takes over when it goes away.
			sleep(ctx, m.cfg.PollInterval)
			continue
		}
		m.poll(ctx, s, lead, log)
		lead.release()
	}
}

// leadership is a held lock on a feed.
type leadership struct {
	conn *sql.Conn // nil on SQLite: one process
	key  int64
}

// alive reports whether the lock is still held (its connection is up).
func (l *leadership) alive(ctx context.Context) bool {
	if l.conn == nil {
		return true
	}
	return l.conn.PingContext(ctx) == nil
}

func (l *leadership) release() {
	if l.conn == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l.conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, l.key)
	l.conn.Close()
}

// lead takes the lock of a feed (or job) name: nil when another process
// holds it.
func (m *Monitor) lead(ctx context.Context, name string) (*leadership, error) {
	if m.cfg.Store.Dialect() != store.DialectPostgres {
		return &leadership{}, nil
	}
	conn, err := m.cfg.Store.DB().Conn(ctx)
	if err != nil {
		return nil, err
	}
	key := lockKey(name)
	var ok bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&ok); err != nil {
		conn.Close()
		return nil, err
	}
	if !ok {
		conn.Close()
		return nil, nil
	}
	return &leadership{conn: conn, key: key}, nil
}

// start returns the feed's cursor: the stored one, else the source's
// start (stored at once, so that "now" means the time of the first run).
func (m *Monitor) start(ctx context.Context, s Source) (feed.Cursor, int64, error) {
	eco := s.Feed.Ecosystem()
	st, err := m.cfg.Store.FeedCursor(ctx, eco)
	if err == nil {
		return feed.Cursor(st.Cursor), st.Errors, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return "", 0, err
	}
	var cur feed.Cursor
	switch s.Start {
	case "":
		if cur, err = s.Feed.Head(ctx); err != nil {
			return "", 0, err
		}
	case "0":
	default:
		cur = feed.Cursor(s.Start)
	}
	err = m.cfg.Store.AdvanceFeed(ctx, store.FeedAdvance{Ecosystem: eco, Cursor: string(cur), LastPoll: time.Now()}, nil)
	return cur, 0, err
}

// poll reads the feed while this process leads it: pages until caught up,
// then a wait of the poll interval. Failures back off up to the poll
// interval and never move the cursor.
func (m *Monitor) poll(ctx context.Context, s Source, lead *leadership, log *slog.Logger) {
	eco := s.Feed.Ecosystem()
	fails := 0
	backoff := func(err error, what string) {
		fails++
		log.Warn(what, "err", err, "failures", fails)
		sleep(ctx, min(m.cfg.PollInterval, time.Duration(1<<min(fails, 6))*time.Second))
	}
	cur, errs, err := m.start(ctx, s)
	for err != nil {
		if ctx.Err() != nil {
			return
		}
		backoff(err, "cannot start the feed")
		cur, errs, err = m.start(ctx, s)
	}
	for ctx.Err() == nil {
		if !lead.alive(ctx) {
			log.Warn("lost the feed's lock")
			return
		}
		b, next, err := s.Feed.Latest(ctx, cur)
		now := time.Now()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			errs++
			if serr := m.cfg.Store.SetFeedCursor(ctx, eco, string(cur), now, errs); serr != nil {
				log.Warn("cannot store the feed's state", "err", serr)
			}
			backoff(err, "poll failed")
			continue
		}
		if b.Errs != nil {
			errs++
			log.Warn("entries skipped", "err", b.Errs)
		}
		adv := store.FeedAdvance{Ecosystem: eco, Cursor: string(next), LastPoll: now, Errors: errs}
		if g := b.Gap; g != nil {
			adv.Gap = &store.FeedGap{Ecosystem: eco, From: string(g.From), To: string(g.To), Reason: g.Reason, FoundAt: now}
			log.Warn("feed gap", "gap", g.String())
		}
		params := make([]river.InsertManyParams, 0, len(b.Items))
		for _, it := range b.Items {
			params = append(params, river.InsertManyParams{Args: CheckArgs{
				Ecosystem: it.Ecosystem, Name: it.Name, Version: it.Version, Deleted: it.Deleted, Published: it.Published,
			}})
		}
		err = m.cfg.Store.AdvanceFeed(ctx, adv, func(tx *sql.Tx) error {
			if len(params) == 0 {
				return nil
			}
			_, err := m.client.InsertManyTx(ctx, tx, params)
			return err
		})
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			backoff(err, "cannot enqueue the page")
			continue
		}
		fails = 0
		cur = next
		if len(b.Items) > 0 {
			log.Debug("page enqueued", "items", len(b.Items), "cursor", string(next))
		}
		if !b.More {
			sleep(ctx, m.cfg.PollInterval)
		}
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
