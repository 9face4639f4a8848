package redact

import "testing"

func TestString(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// What must go.
		{`"user:S3CRET@db" is neither a DNS name nor an IP address`, `"user:<redacted>@db" is neither a DNS name nor an IP address`},
		{`must be an integer, not the string "mysql://root:S3CRET@db:3306/wp"`, `must be an integer, not the string "mysql://root:<redacted>@db:3306/wp"`},
		{`nginx.ingress.kubernetes.io/auth-password: S3CRET`, `nginx.ingress.kubernetes.io/auth-password: <redacted>`},
		{`env "MYSQL_ROOT_PASSWORD=S3CRET" is not a mapping`, `env "MYSQL_ROOT_PASSWORD=<redacted>" is not a mapping`},
		{`cannot unmarshal {"password": "S3CRET"}`, `cannot unmarshal {"password": "<redacted>"}`},
		{`https://api.example.com/?token=S3CRET&x=1`, `https://api.example.com/?token=<redacted>&x=1`},
		{`"blog:pa/ss0rd@db" is neither`, `"blog:<redacted>@db" is neither`},
		{`"blog:p@ssw0rd@db" is neither`, `"blog:<redacted>@db" is neither`},
		{`"mysql://blog:S3/CR@T@db/x" is neither`, `"mysql://blog:<redacted>@db/x" is neither`},
		{`"blog:\"S3CRET\"@db" is neither`, `"blog:<redacted>@db" is neither`},
		{`apiToken: 'S3 CRET'`, `apiToken: '<redacted>'`},
		// What must stay: names of secrets, images, paths, plain prose.
		{`"wordpress:6.8.3-apache@sha256:0123abcd" is pinned`, `"wordpress:6.8.3-apache@sha256:0123abcd" is pinned`},
		{`set spec.credentials.passwordKey: dbpwd`, `set spec.credentials.passwordKey: dbpwd`},
		{`secretName: blog-db`, `secretName: blog-db`},
		{`env[name=WORDPRESS_DB_PASSWORD]: literal password replaced by a reference to Secret blog-db-pwd key dbpwd`, `env[name=WORDPRESS_DB_PASSWORD]: literal password replaced by a reference to Secret blog-db-pwd key dbpwd`},
		{`a literal password is not allowed in a profile: store it in a Secret`, `a literal password is not allowed in a profile: store it in a Secret`},
		{`"db.example.com:3306" (WORDPRESS_DB_HOST)`, `"db.example.com:3306" (WORDPRESS_DB_HOST)`},
	} {
		if got := String(c.in); got != c.want {
			t.Errorf("String(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

// Prose that names a secret is kept: only a value is masked.
func TestProse(t *testing.T) {
	for _, s := range []string{
		`MYSQL_ROOT_PASSWORD, MYSQL_PASSWORD held 2 different passwords, and all now read Secret wordpress-db-pwd key dbpwd: at least one will be wrong`,
		`WP_API_TOKEN holds a literal value that looks like a secret: move it to a Secret and use valueFrom.secretKeyRef`,
		`"Wordpress_Secret": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters`,
		`the profile's secret: create it`,
	} {
		if got := String(s); got != s {
			t.Errorf("String(%q)\n changed it to %q", s, got)
		}
	}
}
