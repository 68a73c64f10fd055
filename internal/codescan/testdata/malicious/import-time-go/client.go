// Package statsd sends counters to a statsd daemon.
package statsd

import (
	"net"
	"sync"
	"time"
)

var (
	once sync.Once
	conn net.Conn
)

// init opens the connection lazily; nothing here names the payload as a
// call: it is only handed to sync.Once and to a timer.
func init() {
	once.Do(dial)
	time.AfterFunc(3*time.Second, flush)
}

func dial() {
	conn, _ = net.Dial("udp", "127.0.0.1:8125")
}

// Incr adds one to a counter.
func Incr(name string) {
	if conn != nil {
		conn.Write([]byte(name + ":1|c"))
	}
}
