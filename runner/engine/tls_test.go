package engine

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

// TestTLSAsTheCLI: for every combination of DOCKER_TLS_VERIFY, DOCKER_TLS
// and DOCKER_CERT_PATH, labrun speaks TLS, and verifies the engine, exactly
// when the docker CLI does. Each case asks a real server, TLS or plain,
// with the engine's answer to /_ping, so that what counts is what goes on
// the wire, not a field.
func TestTLSAsTheCLI(t *testing.T) {
	certs := t.TempDir()
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(ping))
	tlsSrv.TLS = serverTLS(t, certs)
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the plain clients' handshakes fail by design
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	plain := httptest.NewServer(http.HandlerFunc(ping))
	defer plain.Close()
	strangers := t.TempDir() // a CA that did not sign the server's certificate
	serverTLS(t, strangers)

	tests := []struct {
		name        string
		env         map[string]string
		wantTLS     bool
		wantVerify  bool
		answersTLS  bool // reaches the TLS server
		answersHTTP bool // reaches the plain server
	}{
		{"nothing set", map[string]string{}, false, false, false, true},
		{"DOCKER_CERT_PATH alone: no TLS, as the CLI", map[string]string{"DOCKER_CERT_PATH": certs}, false, false, false, true},
		{"DOCKER_TLS_VERIFY=1 with its CA", map[string]string{"DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": certs}, true, true, true, false},
		{"DOCKER_TLS_VERIFY=1 with another CA", map[string]string{"DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": strangers}, true, true, false, false},
		{"DOCKER_TLS_VERIFY=0 still verifies: any value does", map[string]string{"DOCKER_TLS_VERIFY": "0", "DOCKER_CERT_PATH": strangers}, true, true, false, false},
		{"DOCKER_TLS=1: TLS without verifying", map[string]string{"DOCKER_TLS": "1", "DOCKER_CERT_PATH": strangers}, true, false, true, false},
		{"DOCKER_TLS_VERIFY empty is unset", map[string]string{"DOCKER_TLS_VERIFY": "", "DOCKER_CERT_PATH": certs}, false, false, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(k string) string { return tc.env[k] }
			for _, srv := range []struct {
				url  string
				want bool
			}{{tlsSrv.URL, tc.answersTLS}, {plain.URL, tc.answersHTTP}} {
				host := "tcp://" + strings.TrimPrefix(strings.TrimPrefix(srv.url, "https://"), "http://")
				ep, err := Resolve(host, getenv)
				if err != nil {
					t.Fatal(err)
				}
				if ep.TLS != tc.wantTLS || ep.TLS && ep.SkipTLSVerify == tc.wantVerify {
					t.Errorf("%s: TLS=%v SkipTLSVerify=%v, want TLS=%v verify=%v", host, ep.TLS, ep.SkipTLSVerify, tc.wantTLS, tc.wantVerify)
				}
				opts, err := clientOptions(ep)
				if err != nil {
					t.Fatal(err)
				}
				cli, err := client.New(opts...)
				if err != nil {
					t.Fatal(err)
				}
				ctx := t.Context()
				_, err = cli.Ping(ctx, client.PingOptions{})
				cli.Close()
				if got := err == nil; got != srv.want {
					t.Errorf("%s answered: %v (err %v), want %v", srv.url, got, err, srv.want)
				}
			}
		})
	}
}

func ping(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Api-Version", "1.41")
	w.Write([]byte("OK"))
}

// serverTLS makes, in dir, a CA (ca.pem) and a client pair (cert.pem,
// key.pem) as a docker CLI's certificate directory holds them, and
// returns a server configuration whose certificate that CA signed.
func serverTLS(t *testing.T, dir string) *tls.Config {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	issue := func(tmpl *x509.Certificate) (certPEM, keyPEM []byte) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		keyDER, _ := x509.MarshalECPrivateKey(key)
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	}
	srvCert, srvKey := issue(&x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	cliCert, cliKey := issue(&x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	for name, data := range map[string][]byte{
		"ca.pem":   pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		"cert.pem": cliCert, "key.pem": cliKey,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	pair, err := tls.X509KeyPair(srvCert, srvKey)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{pair}}
}
