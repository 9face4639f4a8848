// Package images knows the conventions of the WordPress and database
// images harden meets in users' manifests: the official Docker Library
// images (wordpress, mysql, mariadb) and Bitnami's (bitnami/wordpress,
// bitnami/mariadb, bitnami/mysql), under any registry, tag or digest.
//
// A convention says which env vars carry the database connection, where
// the data lives, the port, how utf8mb4 is set and which user the image
// runs as. harden adds image-specific settings (a data volume, mysqld
// args) only to an image it knows; for any other image it applies what
// holds for every image and says so.
package images

import (
	"strings"
)

// Role is what an image runs.
type Role int

const (
	Unknown Role = iota
	WordPress
	Database
)

// Convention is what one image family expects.
type Convention struct {
	// Family names it in messages: "wordpress", "bitnami/mariadb".
	Family string
	Role   Role
	// Port is the container port it serves on.
	Port int32
	// HTTP: the port speaks HTTP (not php-fpm's FastCGI).
	HTTP bool
	// DataPath is where its persistent data lives.
	DataPath string
	// HostEnv are the env vars that name the database host, in the order
	// the image reads them (WordPress images only).
	HostEnv []string
	// PasswordEnv are the env vars that hold a password, and whether it
	// is the root (administrator) password.
	PasswordEnv map[string]bool
	// TakesServerArgs: the entrypoint passes args that start with "-" to
	// the server (the official mysql and mariadb images). Bitnami's
	// entrypoint runs its args as the command instead.
	TakesServerArgs bool
	// Charset is how utf8mb4 is set: "args" (mysqld options) or "config"
	// (the image's own configuration file).
	Charset string
	// User is the uid the server runs as.
	User int64
}

var official = map[string]Convention{
	"wordpress": {
		Family: "wordpress", Role: WordPress, Port: 80, HTTP: true,
		DataPath: "/var/www/html", HostEnv: []string{"WORDPRESS_DB_HOST"},
		PasswordEnv: map[string]bool{"WORDPRESS_DB_PASSWORD": false},
		User:        33,
	},
	"mysql": {
		Family: "mysql", Role: Database, Port: 3306, DataPath: "/var/lib/mysql",
		PasswordEnv:     map[string]bool{"MYSQL_PASSWORD": false, "MYSQL_ROOT_PASSWORD": true},
		TakesServerArgs: true, Charset: "args", User: 999,
	},
	"mariadb": {
		Family: "mariadb", Role: Database, Port: 3306, DataPath: "/var/lib/mysql",
		PasswordEnv: map[string]bool{"MARIADB_PASSWORD": false, "MARIADB_ROOT_PASSWORD": true,
			"MYSQL_PASSWORD": false, "MYSQL_ROOT_PASSWORD": true},
		TakesServerArgs: true, Charset: "args", User: 999,
	},
}

var bitnami = map[string]Convention{
	"wordpress": {
		Family: "bitnami/wordpress", Role: WordPress, Port: 8080, HTTP: true,
		DataPath:    "/bitnami/wordpress",
		HostEnv:     []string{"WORDPRESS_DATABASE_HOST", "MARIADB_HOST"},
		PasswordEnv: map[string]bool{"WORDPRESS_DATABASE_PASSWORD": false},
		Charset:     "config", User: 1001,
	},
	"wordpress-nginx": {
		Family: "bitnami/wordpress-nginx", Role: WordPress, Port: 8080, HTTP: true,
		DataPath:    "/bitnami/wordpress",
		HostEnv:     []string{"WORDPRESS_DATABASE_HOST", "MARIADB_HOST"},
		PasswordEnv: map[string]bool{"WORDPRESS_DATABASE_PASSWORD": false},
		Charset:     "config", User: 1001,
	},
	"mariadb": {
		Family: "bitnami/mariadb", Role: Database, Port: 3306, DataPath: "/bitnami/mariadb",
		PasswordEnv: map[string]bool{"MARIADB_PASSWORD": false, "MARIADB_ROOT_PASSWORD": true},
		Charset:     "config", User: 1001,
	},
	"mysql": {
		Family: "bitnami/mysql", Role: Database, Port: 3306, DataPath: "/bitnami/mysql",
		PasswordEnv: map[string]bool{"MYSQL_PASSWORD": false, "MYSQL_ROOT_PASSWORD": true},
		Charset:     "config", User: 1001,
	},
}

// Ref is an image reference taken apart.
type Ref struct {
	Registry   string // "" for Docker Hub
	Repository string // "library/wordpress", "bitnami/mariadb"
	Tag        string
	Digest     string
}

// Parse takes an image reference apart: [registry/]path[:tag][@digest].
func Parse(image string) Ref {
	var r Ref
	if i := strings.Index(image, "@"); i >= 0 {
		image, r.Digest = image[:i], image[i+1:]
	}
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		image, r.Tag = image[:i], image[i+1:]
	}
	parts := strings.Split(image, "/")
	if len(parts) > 1 && (strings.ContainsAny(parts[0], ".:") || parts[0] == "localhost") {
		r.Registry, parts = parts[0], parts[1:]
	}
	if r.Registry == "docker.io" || r.Registry == "index.docker.io" || r.Registry == "registry-1.docker.io" {
		r.Registry = ""
	}
	if len(parts) == 1 {
		parts = []string{"library", parts[0]}
	}
	r.Repository = strings.Join(parts, "/")
	return r
}

// Pinned: the reference names one version (a digest, or a tag that is not
// "latest").
func (r Ref) Pinned() bool {
	return r.Digest != "" || (r.Tag != "" && r.Tag != "latest")
}

// Lookup returns the convention of an image, and false for an image it
// does not know. Mirrors keep the path: registry.example.com/library/mysql
// is the official mysql, registry.example.com/bitnami/mariadb Bitnami's.
// Bitnami's legacy repository (bitnamilegacy/) holds the same images.
func Lookup(image string) (Convention, bool) {
	r := Parse(image)
	parts := strings.Split(r.Repository, "/")
	name := parts[len(parts)-1]
	owner := ""
	if len(parts) > 1 {
		owner = parts[len(parts)-2]
	}
	var c Convention
	var ok bool
	switch owner {
	case "library", "":
		c, ok = official[name]
	case "bitnami", "bitnamilegacy", "bitnamisecure":
		c, ok = bitnami[name]
	case "mysql": // Oracle's mysql/mysql-server takes the official contract
		if name == "mysql-server" {
			c, ok = official["mysql"]
			c.Family = "mysql/mysql-server"
		}
	}
	if !ok {
		return Convention{}, false
	}
	if c.Family == "wordpress" && strings.Contains(r.Tag, "fpm") {
		// php-fpm speaks FastCGI on 9000, not HTTP.
		c.Port, c.HTTP = 9000, false
	}
	return c, true
}

// PasswordEnv lists every env var of every known image that holds a
// database password, and whether it is the root one: a literal value in
// any of them becomes a Secret reference, whatever the image. (Other
// secrets, such as Bitnami's WORDPRESS_PASSWORD for the admin user or a
// replication password, are not the profile's: they get a warning.)
func PasswordEnv() map[string]bool {
	out := map[string]bool{}
	for _, set := range []map[string]Convention{official, bitnami} {
		for _, c := range set {
			for k, root := range c.PasswordEnv {
				out[k] = root
			}
		}
	}
	return out
}
