// Command pkgward finds lookalike, lure and trojan packages before they are
// installed or published. See README.md and docs/ for the commands; the
// exit codes are 0 (clean), 1 (findings at or above --fail-on) and 2
// (usage or input error).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/mattn/go-isatty"

	"github.com/pkgward/pkgward/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	st, _ := os.Stdout.Stat()
	code := cli.Run(ctx, os.Args[1:], cli.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		OutIsTerminal: st != nil && st.Mode()&os.ModeCharDevice != 0,
		ErrIsTerminal: isatty.IsTerminal(os.Stderr.Fd())})
	stop()
	os.Exit(code)
}
