package content

// goldmark's block and inline parsers are superlinear on some hostile
// shapes that honest READMEs never have: hundreds of block containers
// opened on one line (">>>>…", "1. 1. 1. …"), and paragraphs with
// thousands of inline delimiters ("[a](" or "*a_" repeated). tameMarkdown
// bounds both before parsing, so that a README costs linear time:
//
//   - at most maxContainerDepth container markers (">", "-", "+", "*",
//     "1." or "1)") open on one line; further markers are removed;
//   - a paragraph (a run of non-blank lines) ends, by an inserted blank
//     line, at the first line end after maxParagraphBytes bytes or
//     maxParagraphDelims inline delimiters; a single line past twice
//     those bounds is split, at a space when one is near.
//
// Text is never removed, only markers beyond the depth bound; a split may
// break a link or an emphasis that straddles it.
const (
	maxContainerDepth  = 16
	maxParagraphBytes  = 4 << 10
	maxParagraphDelims = 64
)

func isInlineDelim(c byte) bool {
	switch c {
	case '[', ']', '(', ')', '*', '_', '`', '<', '>', '!', '~', '&', '\\', '|':
		return true
	}
	return false
}

func tameMarkdown(src []byte) []byte {
	if !needsTaming(src) {
		return src
	}
	out := make([]byte, 0, len(src)+len(src)/32)
	paraBytes, paraDelims := 0, 0
	for len(src) > 0 {
		line := src
		if i := indexNL(src); i >= 0 {
			line = src[:i+1]
		}
		src = src[len(line):]
		if isBlankLine(line) {
			paraBytes, paraDelims = 0, 0
			out = append(out, line...)
			continue
		}
		if paraBytes >= maxParagraphBytes || paraDelims >= maxParagraphDelims {
			out = append(out, '\n')
			paraBytes, paraDelims = 0, 0
		}
		line = limitContainers(line)
		start := 0
		lineBytes, lineDelims := 0, 0
		for i := 0; i < len(line); i++ {
			lineBytes++
			if isInlineDelim(line[i]) {
				lineDelims++
			}
			if lineBytes >= 2*maxParagraphBytes || lineDelims >= 2*maxParagraphDelims {
				cut := i + 1
				for k := i; k > start && k > i-64; k-- {
					if line[k] == ' ' {
						cut = k + 1
						break
					}
				}
				out = append(out, line[start:cut]...)
				out = append(out, '\n', '\n')
				start = cut
				lineBytes, lineDelims = i+1-cut, 0
				paraBytes, paraDelims = 0, 0
			}
		}
		out = append(out, line[start:]...)
		paraBytes += lineBytes
		paraDelims += lineDelims
	}
	return out
}

// needsTaming reports whether any bound is exceeded, so that ordinary
// READMEs are parsed as they are.
func needsTaming(src []byte) bool {
	paraBytes, paraDelims := 0, 0
	for len(src) > 0 {
		line := src
		if i := indexNL(src); i >= 0 {
			line = src[:i+1]
		}
		src = src[len(line):]
		if isBlankLine(line) {
			paraBytes, paraDelims = 0, 0
			continue
		}
		if containerMarkers(line) > maxContainerDepth {
			return true
		}
		paraBytes += len(line)
		for _, c := range line {
			if isInlineDelim(c) {
				paraDelims++
			}
		}
		if paraBytes >= maxParagraphBytes || paraDelims >= maxParagraphDelims {
			return true
		}
	}
	return false
}

func indexNL(b []byte) int {
	for i, c := range b {
		if c == '\n' {
			return i
		}
	}
	return -1
}

func isBlankLine(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// containerMarkers counts the block container markers that open a line;
// with cut > 0 it also returns where the cut-th marker ends.
func scanContainers(line []byte, cut int) (n, cutAt, end int) {
	i := 0
	for {
		j := i
		for k := 0; k < 3 && j < len(line) && line[j] == ' '; k++ {
			j++
		}
		if j >= len(line) {
			return n, cutAt, i
		}
		switch c := line[j]; {
		case c == '>':
			j++
			if j < len(line) && (line[j] == ' ' || line[j] == '\t') {
				j++
			}
		case (c == '-' || c == '+' || c == '*') && j+1 < len(line) && (line[j+1] == ' ' || line[j+1] == '\t'):
			j += 2
		case '0' <= c && c <= '9':
			d := j
			for d < len(line) && d-j < 9 && '0' <= line[d] && line[d] <= '9' {
				d++
			}
			if d+1 < len(line) && (line[d] == '.' || line[d] == ')') && (line[d+1] == ' ' || line[d+1] == '\t') {
				j = d + 2
			} else {
				return n, cutAt, i
			}
		default:
			return n, cutAt, i
		}
		n++
		if n == cut {
			cutAt = j
		}
		i = j
	}
}

func containerMarkers(line []byte) int {
	n, _, _ := scanContainers(line, 0)
	return n
}

// limitContainers removes the container markers of line beyond
// maxContainerDepth.
func limitContainers(line []byte) []byte {
	n, cutAt, end := scanContainers(line, maxContainerDepth)
	if n <= maxContainerDepth {
		return line
	}
	out := make([]byte, 0, len(line)-(end-cutAt))
	out = append(out, line[:cutAt]...)
	return append(out, line[end:]...)
}
