package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A small XML-RPC codec, enough for PyPI's changelog methods: a call with
// integer parameters, and a response of arrays, structs, strings,
// integers and booleans (other scalars are kept as their text).

// xmlrpcCall encodes a method call with integer parameters.
func xmlrpcCall(method string, params ...int64) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?><methodCall><methodName>`)
	xml.EscapeText(&b, []byte(method))
	b.WriteString(`</methodName><params>`)
	for _, p := range params {
		fmt.Fprintf(&b, `<param><value><int>%d</int></value></param>`, p)
	}
	b.WriteString(`</params></methodCall>`)
	return b.Bytes()
}

// xmlrpcFault is a fault response.
type xmlrpcFault struct {
	Code   int64
	String string
}

func (f *xmlrpcFault) Error() string { return fmt.Sprintf("XML-RPC fault %d: %s", f.Code, f.String) }

// Bounds on a response.
const (
	maxXMLRPCDepth  = 32
	maxXMLRPCValues = 4 << 20
)

type xmlrpcDecoder struct {
	d      *xml.Decoder
	values int
}

// parseXMLRPCResponse returns the single value of a method response:
// []any, map[string]any, string, int64, bool. A fault is an *xmlrpcFault.
func parseXMLRPCResponse(body []byte) (any, error) {
	x := &xmlrpcDecoder{d: xml.NewDecoder(bytes.NewReader(body))}
	x.d.Strict = true
	if err := x.expectStart("methodResponse"); err != nil {
		return nil, err
	}
	se, err := x.nextStart()
	if err != nil {
		return nil, err
	}
	switch se.Name.Local {
	case "fault":
		if err := x.expectStart("value"); err != nil {
			return nil, err
		}
		v, err := x.value(1)
		if err != nil {
			return nil, err
		}
		m, _ := v.(map[string]any)
		f := &xmlrpcFault{}
		f.Code, _ = m["faultCode"].(int64)
		f.String, _ = m["faultString"].(string)
		return nil, f
	case "params":
		if err := x.expectStart("param"); err != nil {
			return nil, err
		}
		if err := x.expectStart("value"); err != nil {
			return nil, err
		}
		return x.value(1)
	}
	return nil, fmt.Errorf("XML-RPC: unexpected <%s>", se.Name.Local)
}

// nextStart returns the next start element, skipping text, comments and
// processing instructions; an end element or EOF is an error.
func (x *xmlrpcDecoder) nextStart() (xml.StartElement, error) {
	for {
		tok, err := x.d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return xml.StartElement{}, fmt.Errorf("XML-RPC: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.EndElement:
			return xml.StartElement{}, fmt.Errorf("XML-RPC: unexpected </%s>", t.Name.Local)
		}
	}
}

func (x *xmlrpcDecoder) expectStart(name string) error {
	se, err := x.nextStart()
	if err != nil {
		return err
	}
	if se.Name.Local != name {
		return fmt.Errorf("XML-RPC: want <%s>, got <%s>", name, se.Name.Local)
	}
	return nil
}

// value reads the content of a <value> whose start was consumed, up to
// and including its end.
func (x *xmlrpcDecoder) value(depth int) (any, error) {
	if depth > maxXMLRPCDepth {
		return nil, fmt.Errorf("XML-RPC: values nested deeper than %d", maxXMLRPCDepth)
	}
	if x.values++; x.values > maxXMLRPCValues {
		return nil, fmt.Errorf("XML-RPC: more than %d values", maxXMLRPCValues)
	}
	var text strings.Builder
	for {
		tok, err := x.d.Token()
		if err != nil {
			return nil, fmt.Errorf("XML-RPC: %w", err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			// <value>text</value>: a string without a type element.
			return text.String(), nil
		case xml.StartElement:
			v, err := x.typed(t.Name.Local, depth)
			if err != nil {
				return nil, err
			}
			if err := x.endOf("value"); err != nil {
				return nil, err
			}
			return v, nil
		}
	}
}

// endOf skips white space up to the end element name.
func (x *xmlrpcDecoder) endOf(name string) error {
	for {
		tok, err := x.d.Token()
		if err != nil {
			return fmt.Errorf("XML-RPC: %w", err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if t.Name.Local != name {
				return fmt.Errorf("XML-RPC: want </%s>, got </%s>", name, t.Name.Local)
			}
			return nil
		case xml.StartElement:
			return fmt.Errorf("XML-RPC: unexpected <%s>", t.Name.Local)
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return fmt.Errorf("XML-RPC: unexpected text before </%s>", name)
			}
		}
	}
}

// typed reads a typed value whose start element kind was consumed.
func (x *xmlrpcDecoder) typed(kind string, depth int) (any, error) {
	switch kind {
	case "array":
		if err := x.expectStart("data"); err != nil {
			return nil, err
		}
		var out []any
		for {
			tok, err := x.d.Token()
			if err != nil {
				return nil, fmt.Errorf("XML-RPC: %w", err)
			}
			switch t := tok.(type) {
			case xml.StartElement:
				if t.Name.Local != "value" {
					return nil, fmt.Errorf("XML-RPC: unexpected <%s> in array", t.Name.Local)
				}
				v, err := x.value(depth + 1)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			case xml.EndElement: // </data>
				if err := x.endOf("array"); err != nil {
					return nil, err
				}
				return out, nil
			}
		}
	case "struct":
		out := map[string]any{}
		for {
			tok, err := x.d.Token()
			if err != nil {
				return nil, fmt.Errorf("XML-RPC: %w", err)
			}
			switch t := tok.(type) {
			case xml.StartElement:
				if t.Name.Local != "member" {
					return nil, fmt.Errorf("XML-RPC: unexpected <%s> in struct", t.Name.Local)
				}
				if err := x.expectStart("name"); err != nil {
					return nil, err
				}
				name, err := x.text("name")
				if err != nil {
					return nil, err
				}
				if err := x.expectStart("value"); err != nil {
					return nil, err
				}
				v, err := x.value(depth + 1)
				if err != nil {
					return nil, err
				}
				out[name] = v
				if err := x.endOf("member"); err != nil {
					return nil, err
				}
			case xml.EndElement: // </struct>
				return out, nil
			}
		}
	}
	s, err := x.text(kind)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "int", "i4", "i8":
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("XML-RPC: bad <%s> %.20q", kind, s)
		}
		return n, nil
	case "boolean":
		switch strings.TrimSpace(s) {
		case "1":
			return true, nil
		case "0":
			return false, nil
		}
		return nil, fmt.Errorf("XML-RPC: bad <boolean> %.20q", s)
	}
	return s, nil // string, double, dateTime.iso8601, base64, nil
}

// text reads character data up to the end element name.
func (x *xmlrpcDecoder) text(name string) (string, error) {
	var b strings.Builder
	for {
		tok, err := x.d.Token()
		if err != nil {
			return "", fmt.Errorf("XML-RPC: %w", err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if b.Len()+len(t) > 1<<20 {
				return "", fmt.Errorf("XML-RPC: <%s> longer than 1 MiB", name)
			}
			b.Write(t)
		case xml.EndElement:
			if t.Name.Local != name {
				return "", fmt.Errorf("XML-RPC: want </%s>, got </%s>", name, t.Name.Local)
			}
			return b.String(), nil
		case xml.StartElement:
			return "", fmt.Errorf("XML-RPC: unexpected <%s> in <%s>", t.Name.Local, name)
		}
	}
}
