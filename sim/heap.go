package sim

// event is one entry of the queue. It is a value type: the heap moves structs,
// never pointers, so pushing and popping allocate nothing once the backing
// slice has grown.
type event struct {
	at  Time
	seq uint64
	h   Handler
	arg int64
}

func (a *event) before(b *event) bool {
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

// queue is a 4-ary min-heap of events ordered by (at, seq). A 4-ary heap is
// shallower than a binary one and its children share cache lines, which makes
// pop, the hot operation, cheaper.
type queue []event

func (q *queue) push(ev event) {
	h := append(*q, ev)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !ev.before(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = ev
	*q = h
}

func (q *queue) pop() event {
	h := *q
	top := h[0]
	n := len(h) - 1
	last := h[n]
	h[n] = event{} // drop the Handler reference for the GC
	h = h[:n]
	if n > 0 {
		i := 0
		for {
			c := 4*i + 1
			if c >= n {
				break
			}
			m := c
			end := c + 4
			if end > n {
				end = n
			}
			for j := c + 1; j < end; j++ {
				if h[j].before(&h[m]) {
					m = j
				}
			}
			if !h[m].before(&last) {
				break
			}
			h[i] = h[m]
			i = m
		}
		h[i] = last
	}
	*q = h
	return top
}
