package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// lineReader reads lines of at most max bytes. A longer line is consumed
// in bounded chunks and reported as an error for its line number, so a
// 1 GB line costs no more memory than a short one.
type lineReader struct {
	r    *bufio.Reader
	max  int
	line int
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, max+1), max: max}
}

// next returns the next line without its terminator ("\n" or "\r\n"),
// valid until the next call, and its 1-based number. It returns io.EOF
// after the last line.
func (lr *lineReader) next() ([]byte, int, error) {
	b, err := lr.r.ReadSlice('\n')
	if len(b) == 0 && err == io.EOF {
		return nil, lr.line, io.EOF
	}
	lr.line++
	if errors.Is(err, bufio.ErrBufferFull) {
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = lr.r.ReadSlice('\n')
		}
		if err != nil && err != io.EOF {
			return nil, lr.line, err
		}
		return nil, lr.line, tooLongError{lr.max}
	}
	if err != nil && err != io.EOF {
		return nil, lr.line, err
	}
	b = bytes.TrimSuffix(b, []byte{'\n'})
	b = bytes.TrimSuffix(b, []byte{'\r'})
	return b, lr.line, nil
}

// tooLongError is the error for a line over the limit: it concerns that
// line only, and reading can go on with the next one. Any other error is
// the reader's and ends the input.
type tooLongError struct{ max int }

func (e tooLongError) Error() string { return fmt.Sprintf("line longer than %d bytes", e.max) }
