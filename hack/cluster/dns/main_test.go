package main

import (
	"encoding/binary"
	"net"
	"strings"
	"testing"
)

func query(id uint16, name string, qtype uint16) []byte {
	q := binary.BigEndian.AppendUint16(nil, id)
	q = append(q, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0) // RD, one question
	for _, l := range strings.Split(strings.TrimSuffix(name, "."), ".") {
		q = append(q, byte(len(l)))
		q = append(q, l...)
	}
	q = append(q, 0)
	q = binary.BigEndian.AppendUint16(q, qtype)
	return binary.BigEndian.AppendUint16(q, classIN)
}

func TestAnswer(t *testing.T) {
	z := &zone{domain: "cluster.local.", names: map[string]net.IP{
		"wordpress-mysql.kube-samples.svc.cluster.local.": net.IPv4(10, 96, 12, 34).To4(),
	}}
	for _, tc := range []struct {
		name    string
		qtype   uint16
		rcode   byte
		answers uint16
	}{
		{"wordpress-mysql.kube-samples.svc.cluster.local", typeA, rcodeOK, 1},
		{"WordPress-MySQL.kube-samples.svc.cluster.local.", typeA, rcodeOK, 1},
		{"wordpress-mysql.kube-samples.svc.cluster.local", 28, rcodeOK, 0}, // AAAA: the name exists
		{"wordpress-mysql.default.svc.cluster.local", typeA, rcodeNX, 0},
		{"example.com", typeA, rcodeNX, 0},
	} {
		q := query(0x1234, tc.name, tc.qtype)
		r := z.answer(q)
		if len(r) < 12 || r[0] != 0x12 || r[1] != 0x34 || r[2]&0x80 == 0 {
			t.Fatalf("%s: not a response to the query: %x", tc.name, r)
		}
		if got := r[3] & 0xf; got != tc.rcode {
			t.Errorf("%s type %d: rcode %d, want %d", tc.name, tc.qtype, got, tc.rcode)
		}
		if got := binary.BigEndian.Uint16(r[6:8]); got != tc.answers {
			t.Errorf("%s type %d: %d answers, want %d", tc.name, tc.qtype, got, tc.answers)
		}
		if tc.answers == 1 && !net.IP(r[len(r)-4:]).Equal(net.IPv4(10, 96, 12, 34)) {
			t.Errorf("%s: address %v", tc.name, net.IP(r[len(r)-4:]))
		}
		if string(r[12:len(q)]) != string(q[12:]) {
			t.Errorf("%s: the question is not echoed", tc.name)
		}
	}
	if z.answer([]byte{1, 2, 3}) != nil {
		t.Error("a message shorter than a header got an answer")
	}
}
