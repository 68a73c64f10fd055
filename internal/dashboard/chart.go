package dashboard

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// chart is a stacked bar chart in SVG user units, computed here so that
// the template only places numbers.
type chart struct {
	Width, Height float64
	Bars          []bar
	// YTicks are the horizontal grid lines with their labels.
	YTicks []tick
	// XLabels label some bars' start times.
	XLabels []tick
	Title   string
	Empty   bool
}

type bar struct {
	X, W  float64
	Parts []barPart
	Label string // the bar's tooltip: time and counts
}

type barPart struct {
	Y, H  float64
	Class string
}

type tick struct {
	Pos   float64
	Label string
}

// series is one stacked column: its start and counts per class, bottom
// to top.
type series struct {
	Start  time.Time
	Counts []int64
}

// Chart geometry.
const (
	chartW, chartH  = 720.0, 180.0
	padLeft, padBot = 40.0, 20.0
	padTop          = 8.0
)

// newChart lays out columns with the classes' CSS class names; labelEvery
// labels every n-th column with layout.
func newChart(title string, cols []series, classes []string, layout string, labelEvery int) chart {
	c := chart{Width: chartW, Height: chartH, Title: title}
	var top int64
	for _, s := range cols {
		var sum int64
		for _, n := range s.Counts {
			sum += n
		}
		top = max(top, sum)
	}
	c.Empty = top == 0
	scale := niceCeil(top)
	plotH := chartH - padBot - padTop
	plotW := chartW - padLeft
	if len(cols) == 0 {
		return c
	}
	step := plotW / float64(len(cols))
	w := math.Max(1, step*0.8)
	for i, s := range cols {
		x := padLeft + float64(i)*step + (step-w)/2
		b := bar{X: round(x), W: round(w)}
		y := chartH - padBot
		label := s.Start.UTC().Format("2006-01-02 15:04")
		for j, n := range s.Counts {
			if j < len(classes) {
				label += fmt.Sprintf(" · %s %d", classes[j], n)
			}
			if n == 0 {
				continue
			}
			h := float64(n) / float64(scale) * plotH
			y -= h
			b.Parts = append(b.Parts, barPart{Y: round(y), H: round(h), Class: classes[min(j, len(classes)-1)]})
		}
		b.Label = label
		c.Bars = append(c.Bars, b)
		if labelEvery > 0 && i%labelEvery == 0 {
			c.XLabels = append(c.XLabels, tick{Pos: round(x), Label: s.Start.UTC().Format(layout)})
		}
	}
	for _, f := range []float64{0, 0.5, 1} {
		c.YTicks = append(c.YTicks, tick{Pos: round(chartH - padBot - f*plotH), Label: strconv.FormatFloat(f*float64(scale), 'f', -1, 64)})
	}
	return c
}

// niceCeil rounds n up to 1, 2 or 5 times a power of ten (at least 2, so
// the middle grid line is a whole number).
func niceCeil(n int64) int64 {
	if n <= 2 {
		return 2
	}
	p := int64(1)
	for p*10 < n {
		p *= 10
	}
	for _, m := range []int64{1, 2, 5, 10} {
		if m*p >= n {
			return m * p
		}
	}
	return 10 * p
}

func round(f float64) float64 { return math.Round(f*10) / 10 }
