// Package gitinfo reports the commit a build came from.
package gitinfo

import (
	"encoding/base64"
	"net/http"
	"os/exec"
	"strings"
)

var defaultBranch string

func init() {
	defaultBranch = "main"
}

// Head returns the commit of the working tree; the shell command is a
// constant, not data.
func Head(dir string) (string, error) {
	cmd := exec.Command("sh", "-c", "git rev-parse HEAD")
	cmd.Dir = dir
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}

// Badge decodes an embedded image and fetches a status page.
func Badge(url string) ([]byte, error) {
	if _, err := http.Get(url); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString("iVBORw0KGgo=")
}
