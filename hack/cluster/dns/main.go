// Command dns is the test cluster's DNS server (hack/cluster.sh): the part
// of CoreDNS's kubernetes plugin that the WordPress site needs, and nothing
// else. It runs as a pod behind the kube-dns Service (10.96.0.10), like
// CoreDNS in a production cluster, so a pod's lookup of "wordpress-mysql"
// goes through the same path: the kubelet's resolv.conf, kube-proxy's UDP
// rules for the Service, then this server.
//
// It answers A queries for <service>.<namespace>.svc.<domain> with the
// Service's ClusterIP, polling the API server's Service list. Any other
// name is NXDOMAIN (the cluster is offline: there is nothing to forward
// to); a known name asked for another type (AAAA) gets an empty answer.
// Headless Services, SRV and PTR records are not served.
//
// CoreDNS was the other choice. It builds from the Go proxy, but pulls in
// a large dependency graph (cloud SDKs for its other plugins) for one
// lookup; this server uses the standard library only and builds in seconds.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const saDir = "/var/run/secrets/kubernetes.io/serviceaccount"

func main() {
	listen := flag.String("listen", ":53", "UDP and TCP address to serve DNS on")
	health := flag.String("health", ":8181", "HTTP address of /ready (200 once Services are loaded)")
	domain := flag.String("domain", "cluster.local", "the cluster domain")
	interval := flag.Duration("interval", time.Second, "how often to list Services")
	flag.Parse()

	api, err := inClusterClient()
	if err != nil {
		log.Fatal(err)
	}
	z := &zone{domain: strings.ToLower(strings.TrimSuffix(*domain, ".")) + "."}
	go z.sync(context.Background(), api, *interval)

	go func() {
		mux := http.NewServeMux()
		mux.HandleFunc("/ready", func(w http.ResponseWriter, _ *http.Request) {
			if !z.loaded.Load() {
				http.Error(w, "services not loaded yet", http.StatusServiceUnavailable)
				return
			}
			fmt.Fprintln(w, "ok")
		})
		log.Fatal(http.ListenAndServe(*health, mux))
	}()

	pc, err := net.ListenPacket("udp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("serving %s on %s (udp, tcp)", z.domain, *listen)
	go serveTCP(ln, z)
	buf := make([]byte, 1500)
	for {
		n, addr, err := pc.ReadFrom(buf)
		if err != nil {
			log.Fatal(err)
		}
		if resp := z.answer(buf[:n]); resp != nil {
			if len(resp) > 512 {
				resp = truncate(resp)
			}
			_, _ = pc.WriteTo(resp, addr)
		}
	}
}

func serveTCP(ln net.Listener, z *zone) {
	for {
		c, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go func() {
			defer c.Close()
			for {
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				var l [2]byte
				if _, err := io.ReadFull(c, l[:]); err != nil {
					return
				}
				msg := make([]byte, binary.BigEndian.Uint16(l[:]))
				if _, err := io.ReadFull(c, msg); err != nil {
					return
				}
				resp := z.answer(msg)
				if resp == nil {
					return
				}
				out := binary.BigEndian.AppendUint16(nil, uint16(len(resp)))
				if _, err := c.Write(append(out, resp...)); err != nil {
					return
				}
			}
		}()
	}
}

// zone holds the current name -> ClusterIP map.
type zone struct {
	domain string // "cluster.local."
	mu     sync.RWMutex
	names  map[string]net.IP
	loaded atomic.Bool
}

type client struct {
	http *http.Client
	base string
}

func inClusterClient() (*client, error) {
	host, port := os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT")
	if host == "" || port == "" {
		return nil, errors.New("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set (run in a pod)")
	}
	ca, err := os.ReadFile(saDir + "/ca.crt")
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		return nil, errors.New("no certificate in " + saDir + "/ca.crt")
	}
	return &client{
		http: &http.Client{
			Timeout:   10 * time.Second,
			Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		},
		base: "https://" + net.JoinHostPort(host, port),
	}, nil
}

type serviceList struct {
	Items []struct {
		Metadata struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"metadata"`
		Spec struct {
			ClusterIP string `json:"clusterIP"`
		} `json:"spec"`
	} `json:"items"`
}

func (c *client) services(ctx context.Context) (*serviceList, error) {
	// The token is re-read each time: the kubelet rotates it.
	token, err := os.ReadFile(saDir + "/token")
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/api/v1/services", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("list services: %s: %s", resp.Status, b)
	}
	var l serviceList
	return &l, json.NewDecoder(resp.Body).Decode(&l)
}

func (z *zone) sync(ctx context.Context, c *client, every time.Duration) {
	for {
		l, err := c.services(ctx)
		if err != nil {
			log.Print(err)
		} else {
			names := make(map[string]net.IP, len(l.Items))
			for _, s := range l.Items {
				ip := net.ParseIP(s.Spec.ClusterIP).To4()
				if ip == nil { // headless ("None") or IPv6
					continue
				}
				names[strings.ToLower(s.Metadata.Name+"."+s.Metadata.Namespace+".svc."+z.domain)] = ip
			}
			z.mu.Lock()
			z.names = names
			z.mu.Unlock()
			if !z.loaded.Swap(true) {
				log.Printf("loaded %d services", len(names))
			}
		}
		time.Sleep(every)
	}
}

const (
	typeA     = 1
	classIN   = 1
	rcodeOK   = 0
	rcodeFail = 2 // SERVFAIL
	rcodeNX   = 3 // NXDOMAIN
	rcodeImp  = 4 // NOTIMP
	ttl       = 5
)

// answer builds the response to one DNS query message, or nil when the
// message is too short to answer at all.
func (z *zone) answer(q []byte) []byte {
	if len(q) < 12 {
		return nil
	}
	id := binary.BigEndian.Uint16(q[0:2])
	flags := binary.BigEndian.Uint16(q[2:4])
	rd := flags & 0x0100
	opcode := (flags >> 11) & 0xf
	qd := binary.BigEndian.Uint16(q[4:6])

	reply := func(rcode uint16, question []byte, ans []byte) []byte {
		out := make([]byte, 12, 12+len(question)+len(ans))
		binary.BigEndian.PutUint16(out[0:2], id)
		// QR, AA (for our own zone), RD copied, RA off.
		f := uint16(0x8000) | rd | rcode
		if rcode == rcodeOK || rcode == rcodeNX {
			f |= 0x0400
		}
		binary.BigEndian.PutUint16(out[2:4], f)
		if question != nil {
			binary.BigEndian.PutUint16(out[4:6], 1)
		}
		if ans != nil {
			binary.BigEndian.PutUint16(out[6:8], 1)
		}
		out = append(out, question...)
		return append(out, ans...)
	}
	if flags&0x8000 != 0 {
		return nil // a response, not a query
	}
	if opcode != 0 || qd != 1 {
		return reply(rcodeImp, nil, nil)
	}
	name, end, err := readName(q, 12)
	if err != nil || end+4 > len(q) {
		return reply(rcodeFail, nil, nil)
	}
	question := q[12 : end+4]
	qtype := binary.BigEndian.Uint16(q[end : end+2])
	qclass := binary.BigEndian.Uint16(q[end+2 : end+4])

	z.mu.RLock()
	ip, ok := z.names[strings.ToLower(name)]
	z.mu.RUnlock()
	switch {
	case !ok:
		return reply(rcodeNX, question, nil)
	case qtype != typeA || qclass != classIN:
		return reply(rcodeOK, question, nil) // the name exists, not with that type
	}
	ans := []byte{0xc0, 12} // pointer to the question's name
	ans = binary.BigEndian.AppendUint16(ans, typeA)
	ans = binary.BigEndian.AppendUint16(ans, classIN)
	ans = binary.BigEndian.AppendUint32(ans, ttl)
	ans = binary.BigEndian.AppendUint16(ans, 4)
	ans = append(ans, ip...)
	return reply(rcodeOK, question, ans)
}

// readName reads an uncompressed name (queries never compress) at off and
// returns it with a trailing dot, and the offset after it.
func readName(msg []byte, off int) (string, int, error) {
	var b strings.Builder
	for {
		if off >= len(msg) {
			return "", 0, errors.New("name past the end")
		}
		l := int(msg[off])
		off++
		if l == 0 {
			break
		}
		if l > 63 || off+l > len(msg) {
			return "", 0, errors.New("bad label")
		}
		b.Write(msg[off : off+l])
		b.WriteByte('.')
		off += l
	}
	if b.Len() == 0 {
		return ".", off, nil
	}
	return b.String(), off, nil
}

// truncate cuts a UDP answer that does not fit in 512 bytes to its header
// and question, with TC set, so the client retries over TCP.
func truncate(resp []byte) []byte {
	_, end, err := readName(resp, 12)
	if err != nil {
		return resp[:12]
	}
	out := append([]byte(nil), resp[:end+4]...)
	out[2] |= 0x02
	binary.BigEndian.PutUint16(out[6:8], 0)
	return out
}
