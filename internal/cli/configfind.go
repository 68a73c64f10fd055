package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/pkgward/pkgward/internal/config"
)

// loadConfig loads the configuration file, by precedence: the file named
// by --config; for scan, the .pkgward.yaml nearest to the scanned
// directory (config.Find: that directory, then its parents up to the
// repository root); the .pkgward.yaml of the working directory; none.
func (g *globals) loadConfig(cmd *cobra.Command, args []string) (*config.Config, error) {
	if g.config != "" {
		c, err := config.Load(g.config)
		if err != nil {
			return nil, err
		}
		c.Origin = "--config"
		return c, nil
	}
	if cmd.Name() == "scan" {
		dir := "."
		if len(args) == 1 {
			dir = args[0]
			if st, err := os.Stat(dir); err == nil && !st.IsDir() {
				dir = filepath.Dir(dir)
			}
		}
		p, err := config.Find(dir)
		if err != nil {
			return nil, err
		}
		if p != "" {
			c, err := config.Load(p)
			if err != nil {
				return nil, err
			}
			c.Origin = "nearest to the scanned directory"
			return c, nil
		}
	}
	c, err := config.Load("")
	if err != nil {
		return nil, err
	}
	if c.File != "" {
		c.Origin = "working directory"
	}
	return c, nil
}

// configNotices names the configuration file in use and why it was
// chosen (scan looks in several places).
func (g *globals) configNotices() []string {
	if g.cfg == nil || g.cfg.File == "" {
		return nil
	}
	if g.cfg.Origin == "" {
		return []string{"configuration: " + g.cfg.File}
	}
	return []string{fmt.Sprintf("configuration: %s (%s)", g.cfg.File, g.cfg.Origin)}
}
