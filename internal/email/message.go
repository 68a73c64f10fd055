package email

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"
)

// Bounds on hostile input.
const (
	MaxMessageSize = 32 << 20 // the raw message
	maxParts       = 200      // MIME parts, all levels, whose content is kept
	maxWalk        = 20000    // MIME parts walked: past maxParts only bodies are read
	maxDepth       = 32       // multipart nesting
	maxPartBody    = 1 << 20  // decoded text kept per body part
	maxBody        = 8 << 20  // decoded text kept per body kind
	maxHeaderValue = 16 << 10
	// maxAddrHeader bounds an address header (From, Reply-To, Sender)
	// parsed whole; a longer one still yields its last addr-spec.
	maxAddrHeader = 1 << 20
)

// ErrTooLarge is returned for a message over MaxMessageSize.
var ErrTooLarge = errors.New("message too large")

// Address is a mailbox.
type Address struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email"`
}

// Domain returns the part after "@", lower-cased.
func (a Address) Domain() string {
	if i := strings.LastIndexByte(a.Email, '@'); i >= 0 {
		return strings.ToLower(strings.TrimSuffix(a.Email[i+1:], "."))
	}
	return ""
}

// Attachment describes an attached file (its content is not kept).
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
}

// Message is the parsed form of a mail.
type Message struct {
	Subject     string
	From        []Address
	ReplyTo     []Address
	ReturnPath  string
	Sender      []Address
	AuthResults []string // Authentication-Results header values
	Text        string   // text/plain bodies, decoded, concatenated
	HTML        string   // text/html bodies, decoded, concatenated
	HTMLBodies  []string // the same bodies one by one, each at most 1 MiB
	Attachments []Attachment
	Truncated   bool     // a bound was hit: part of the message was not read
	Notes       []string // what was skipped and why
}

// Parse reads a message. Malformed structure deep inside (a broken part,
// an unknown charset) is noted in Notes and skipped; only a message whose
// header cannot be read at all is an error.
func Parse(r io.Reader) (*Message, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxMessageSize+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxMessageSize {
		return nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, MaxMessageSize)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("not an RFC 5322 message: %w", err)
	}
	m := &Message{}
	dec := &mime.WordDecoder{CharsetReader: charsetReader}
	hdr := func(k string) string {
		v := msg.Header.Get(k)
		if len(v) > maxHeaderValue {
			v = v[:maxHeaderValue]
			m.note("header %s truncated", k)
		}
		if d, err := dec.DecodeHeader(v); err == nil {
			return d
		}
		return v
	}
	m.Subject = hdr("Subject")
	m.From = m.addresses(msg.Header, "From", dec)
	m.ReplyTo = m.addresses(msg.Header, "Reply-To", dec)
	m.Sender = m.addresses(msg.Header, "Sender", dec)
	m.ReturnPath = strings.Trim(strings.TrimSpace(hdr("Return-Path")), "<>")
	for _, v := range msg.Header["Authentication-Results"] {
		if len(v) > maxHeaderValue {
			v = v[:maxHeaderValue]
		}
		m.AuthResults = append(m.AuthResults, v)
	}
	p := &walker{m: m}
	p.part(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), "", msg.Body, 0)
	return m, nil
}

func (m *Message) note(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	if len(m.Notes) < 50 && !slices.Contains(m.Notes, n) {
		m.Notes = append(m.Notes, n)
	}
}

func (m *Message) addresses(h mail.Header, key string, dec *mime.WordDecoder) []Address {
	v := h.Get(key)
	if v == "" {
		return nil
	}
	var err error
	var list []*mail.Address
	if len(v) > maxAddrHeader {
		// Never cut the header before its address: read the addr-spec
		// from the end of the whole value.
		m.Truncated = true
		m.note("%s header over %d bytes: only its address was read", key, maxAddrHeader)
		err = fmt.Errorf("over %d bytes", maxAddrHeader)
	} else {
		p := mail.AddressParser{WordDecoder: dec}
		list, err = p.ParseList(v)
	}
	if err != nil {
		// Keep what a reader would see: phishing often has sloppy headers.
		m.note("%s header not RFC 5322 (%v); read leniently", key, err)
		if i := strings.LastIndexByte(v, '<'); i >= 0 {
			if j := strings.IndexByte(v[i:], '>'); j > 0 {
				name := strings.Trim(strings.TrimSpace(v[:i]), `"`)
				if len(name) > maxHeaderValue {
					name = name[:maxHeaderValue]
				}
				name, _ = dec.DecodeHeader(name)
				return []Address{{Name: name, Email: strings.TrimSpace(v[i+1 : i+j])}}
			}
		}
		return []Address{{Email: strings.TrimSpace(v)}}
	}
	out := make([]Address, 0, len(list))
	for _, a := range list {
		out = append(out, Address{Name: a.Name, Email: a.Address})
	}
	return out
}

// walker collects the bodies and attachments of a MIME tree.
type walker struct {
	m         *Message
	parts     int
	stopped   bool // maxWalk hit
	overNoted bool // maxParts hit
}

func (w *walker) part(ctype, cte, disposition string, body io.Reader, depth int) {
	w.parts++
	if w.parts > maxWalk {
		if !w.stopped {
			w.m.note("more than %d MIME parts; the rest is not read", maxWalk)
		}
		w.stopped, w.m.Truncated = true, true
		return
	}
	// Past maxParts, only what a reader sees (text and HTML bodies, and
	// the multiparts holding them) is still read; the rest is skipped.
	over := w.parts > maxParts
	mediaType, params, err := mime.ParseMediaType(ctype)
	if ctype == "" || err != nil {
		if ctype != "" {
			w.m.note("unreadable Content-Type %q: read as text/plain", ctype)
		}
		mediaType, params = "text/plain", map[string]string{"charset": "us-ascii"}
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		if depth >= maxDepth {
			w.m.note("multipart nesting deeper than %d: not read", maxDepth)
			w.m.Truncated = true
			return
		}
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				w.m.note("broken multipart structure: %v", err)
				return
			}
			w.part(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p.Header.Get("Content-Disposition"), p, depth+1)
			if w.stopped {
				return
			}
		}
	}
	dec := decoder(strings.ToLower(strings.TrimSpace(cte)), body)
	disp, dparams, _ := mime.ParseMediaType(disposition)
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	if wd := (&mime.WordDecoder{CharsetReader: charsetReader}); name != "" {
		if d, err := wd.DecodeHeader(name); err == nil {
			name = d
		}
	}
	isText := mediaType == "text/plain" || mediaType == "text/html"
	if disp == "attachment" || (name != "" && !isText) || (!isText && !strings.HasPrefix(mediaType, "multipart/")) {
		n, _ := io.Copy(io.Discard, io.LimitReader(dec, MaxMessageSize))
		if over {
			if !w.overNoted {
				w.m.note("more than %d MIME parts; later attachments are not listed", maxParts)
			}
			w.overNoted, w.m.Truncated = true, true
			return
		}
		w.m.Attachments = append(w.m.Attachments, Attachment{Name: name, ContentType: mediaType, Size: int(n)})
		return
	}
	text, err := io.ReadAll(io.LimitReader(dec, maxPartBody+1))
	if err != nil {
		w.m.note("%s part not decodable (%v): read as is", mediaType, err)
	}
	if len(text) > maxPartBody {
		// Keep the start of an oversized body and skip its rest, so a
		// padding part cannot use the budget of the bodies after it.
		text = text[:maxPartBody]
		_, _ = io.Copy(io.Discard, io.LimitReader(dec, MaxMessageSize))
		w.m.Truncated = true
		w.m.note("a %s body over %d bytes was truncated", mediaType, maxPartBody)
	}
	s := toUTF8(w.m, params["charset"], text)
	if mediaType == "text/html" {
		before := len(w.m.HTML)
		w.m.HTML = appendBounded(w.m, w.m.HTML, s)
		if body := strings.TrimPrefix(w.m.HTML[before:], "\n"); body != "" {
			w.m.HTMLBodies = append(w.m.HTMLBodies, body)
		}
	} else {
		w.m.Text = appendBounded(w.m, w.m.Text, s)
	}
}

func appendBounded(m *Message, dst, s string) string {
	if len(dst)+len(s) > maxBody {
		s = s[:max(0, maxBody-len(dst))]
		if !m.Truncated || len(s) == 0 {
			m.note("bodies over %d bytes in all: the rest is not read", maxBody)
		}
		m.Truncated = true
	}
	if dst != "" {
		dst += "\n"
	}
	return dst + s
}

func decoder(cte string, r io.Reader) io.Reader {
	switch cte {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &base64Cleaner{r: r})
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}

// base64Cleaner drops white space and anything outside the base64
// alphabet, as mail clients do, so line breaks and junk do not abort
// decoding.
type base64Cleaner struct{ r io.Reader }

func (c *base64Cleaner) Read(p []byte) (int, error) {
	for {
		n, err := c.r.Read(p)
		j := 0
		for _, b := range p[:n] {
			if ('A' <= b && b <= 'Z') || ('a' <= b && b <= 'z') || ('0' <= b && b <= '9') || b == '+' || b == '/' || b == '=' {
				p[j] = b
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

// charsetReader decodes legacy charsets for encoded words.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return nil, err
	}
	return transform.NewReader(input, enc.NewDecoder()), nil
}

func toUTF8(m *Message, charset string, b []byte) string {
	cs := strings.ToLower(strings.TrimSpace(charset))
	if cs == "" || cs == "utf-8" || cs == "us-ascii" || cs == "utf8" {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	enc, err := htmlindex.Get(cs)
	if err != nil {
		m.note("unknown charset %q: read as UTF-8", charset)
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), b)
	if err != nil {
		m.note("charset %q: %v", charset, err)
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}
