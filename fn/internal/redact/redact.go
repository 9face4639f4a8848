// Package redact keeps credentials out of messages: a message that quotes
// a user's value shows where the value is, never a password, a token or
// the password of a URL.
package redact

import (
	"regexp"
	"strings"
)

// Mask replaces what was redacted.
const Mask = "<redacted>"

var (
	// userinfo is the user:password@ of a URL or a host
	// (mysql://root:pw@db, user:pw@db:3306). The password runs to the
	// last @ before a blank: a pasted password holds / or @ as often as
	// not (user:pa/ss@db, user:p@ss@db), and a shorter match showed the
	// rest of it. It does not start with // (the scheme's mysql://).
	userinfo = regexp.MustCompile(`([A-Za-z0-9._~%!$&'()*+,;=-]+):([^\s/]\S*|/[^\s/]\S*)@([^\s"'@]*)`)
	// keyValue is a credential-named key and its value, as YAML (key:
	// value), an env pair (KEY=value) or a query (?token=value).
	keyValue = regexp.MustCompile(`(?i)([A-Za-z0-9._/-]*(?:password|passwd|pwd|secret|token|apikey|api_key|api-key|credential|private_key|private-key)[A-Za-z0-9._/-]*)(\\?["']?\s*([:=])\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s"',;&)\]}]+)(\s+\w)?`)
	// notASecret are names that only point at a secret.
	notASecret = regexp.MustCompile(`(?i)(key|name|ref|property|file|path|dir)$`)
)

// String returns s with every credential-looking value masked.
func String(s string) string {
	if !strings.ContainsAny(s, "@=:") {
		return s
	}
	s = userinfo.ReplaceAllStringFunc(s, func(m string) string {
		sub := userinfo.FindStringSubmatch(m)
		// An image reference with tag and digest (wordpress:6.8@sha256:...)
		// is no credential.
		if strings.HasPrefix(sub[3], "sha256:") || strings.HasPrefix(sub[3], "sha512:") {
			return m
		}
		return sub[1] + ":" + Mask + "@" + sub[3]
	})
	return keyValue.ReplaceAllStringFunc(s, func(m string) string {
		sub := keyValue.FindStringSubmatch(m)
		key, sep, op, v, next := sub[1], sub[2], sub[3], sub[4], sub[5]
		quoted := strings.HasPrefix(v, `"`) || strings.HasPrefix(v, `'`)
		// "key: word word" is prose ("the secret: move it..."); a value
		// is quoted, stands alone, or follows an =.
		if notASecret.MatchString(key) || v == Mask || strings.HasPrefix(v, "//") || op == ":" && !quoted && next != "" {
			return m
		}
		switch {
		case strings.HasPrefix(v, `"`):
			v = `"` + Mask + `"`
		case strings.HasPrefix(v, `'`):
			v = `'` + Mask + `'`
		default:
			v = Mask
		}
		return key + sep + v + next
	})
}
