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
	// Writable are the paths the image writes at run time outside
	// DataPath (pid files, sockets, locks, temporary files): under a
	// read-only root file system each needs an emptyDir. nil: not known,
	// and then the root file system is left writable.
	Writable []Writable
}

// Writable is a path an image writes at run time.
type Writable struct {
	Path string
	// Seeded: the image ships files there that it needs (configuration,
	// log symlinks to stdout): an empty volume would hide them. Bitnami's
	// chart copies them into its emptyDir with an init container first;
	// harden adds no container, so it makes the root file system
	// read-only only where the pod already mounts every seeded path.
	Seeded bool
}

// The paths each image writes, from its Dockerfile and entrypoint (the
// docker-library and MariaDB repositories) or, for Bitnami's, from the
// emptyDir mounts of Bitnami's own chart (github.com/bitnami/charts).
var (
	// php:*-apache, the base of wordpress:*-apache
	// (docker-library/php 8.3/trixie/apache/Dockerfile and
	// apache2-foreground). Its logs are symlinks to /dev/stdout and
	// /dev/stderr in the image: /var/log/apache2 is not written.
	apacheWritable = []Writable{
		// APACHE_RUN_DIR: apache2.pid (removed and rewritten at every
		// start by apache2-foreground), the socks/ dir of mod_cgid.
		{Path: "/var/run/apache2"},
		// APACHE_LOCK_DIR, made 1777 by the Dockerfile for the mutex
		// files of `Mutex file:${APACHE_LOCK_DIR}` (commented out in
		// Debian's apache2.conf: unused until a configuration sets it).
		{Path: "/var/lock/apache2"},
		// PHP's sys_temp_dir: OPcache's lock file (opcache.lockfile_path;
		// OPcache is on in the image), uploads (upload_tmp_dir) and
		// sessions (session.save_path) default to it.
		{Path: "/tmp"},
	}
	// php:*-fpm: FastCGI on 9000, its log to stderr, no pid file; PHP's
	// temporary files as above.
	fpmWritable = []Writable{{Path: "/tmp"}}
	// mysql (docker-library/mysql 8.4/Dockerfile.oracle and
	// docker-entrypoint.sh, docker_create_db_directories).
	mysqlWritable = []Writable{
		// socket and pid-file (the Dockerfile moves the socket there
		// and makes the directory 1777 "used for socket and lock files").
		{Path: "/var/run/mysqld"},
		// secure-file-priv of the Oracle packages: the entrypoint creates
		// and chowns it; SELECT ... INTO OUTFILE writes there.
		{Path: "/var/lib/mysql-files"},
		// mysqld's tmpdir (temporary tables, sorts).
		{Path: "/tmp"},
	}
	// mariadb (MariaDB/mariadb-docker 11.8/Dockerfile, docker-entrypoint.sh).
	mariadbWritable = []Writable{
		// socket and pid: the Dockerfile makes /run/mysqld 1777 "used for
		// socket and lock files"; the entrypoint chowns it.
		{Path: "/run/mysqld"},
		// mariadbd's tmpdir.
		{Path: "/tmp"},
	}
	// bitnami/wordpress: the empty-dir mounts of Bitnami's chart
	// (bitnami/wordpress/templates/deployment.yaml, chart 27.0.0); its
	// init container prepare-base-dir copies the image's files into the
	// seeded ones.
	bitnamiWordPressWritable = []Writable{
		{Path: "/opt/bitnami/apache/conf"},
		{Path: "/opt/bitnami/apache/logs", Seeded: true},
		{Path: "/opt/bitnami/apache/var/run"},
		{Path: "/opt/bitnami/php/etc", Seeded: true},
		{Path: "/opt/bitnami/php/tmp"},
		{Path: "/opt/bitnami/php/var", Seeded: true},
		{Path: "/tmp"},
		{Path: "/opt/bitnami/wordpress", Seeded: true},
	}
	// bitnami/mariadb: bitnami/mariadb/templates/primary/statefulset.yaml
	// (chart 23.0.1); its init container preserve-logs-symlinks copies the
	// logs dir (symlinks to stdout) first.
	bitnamiMariaDBWritable = []Writable{
		{Path: "/tmp"},
		{Path: "/opt/bitnami/mariadb/conf"},
		{Path: "/opt/bitnami/mariadb/tmp"},
		{Path: "/opt/bitnami/mariadb/logs", Seeded: true},
	}
	// bitnami/mysql: bitnami/mysql/templates/primary/statefulset.yaml,
	// the same layout.
	bitnamiMySQLWritable = []Writable{
		{Path: "/tmp"},
		{Path: "/opt/bitnami/mysql/conf"},
		{Path: "/opt/bitnami/mysql/tmp"},
		{Path: "/opt/bitnami/mysql/logs", Seeded: true},
	}
)

var official = map[string]Convention{
	"wordpress": {
		Family: "wordpress", Role: WordPress, Port: 80, HTTP: true,
		DataPath: "/var/www/html", HostEnv: []string{"WORDPRESS_DB_HOST"},
		PasswordEnv: map[string]bool{"WORDPRESS_DB_PASSWORD": false},
		User:        33, Writable: apacheWritable,
	},
	"mysql": {
		Family: "mysql", Role: Database, Port: 3306, DataPath: "/var/lib/mysql",
		PasswordEnv:     map[string]bool{"MYSQL_PASSWORD": false, "MYSQL_ROOT_PASSWORD": true},
		TakesServerArgs: true, Charset: "args", User: 999, Writable: mysqlWritable,
	},
	"mariadb": {
		Family: "mariadb", Role: Database, Port: 3306, DataPath: "/var/lib/mysql",
		PasswordEnv: map[string]bool{"MARIADB_PASSWORD": false, "MARIADB_ROOT_PASSWORD": true,
			"MYSQL_PASSWORD": false, "MYSQL_ROOT_PASSWORD": true},
		TakesServerArgs: true, Charset: "args", User: 999, Writable: mariadbWritable,
	},
}

var bitnami = map[string]Convention{
	"wordpress": {
		Family: "bitnami/wordpress", Role: WordPress, Port: 8080, HTTP: true,
		DataPath:    "/bitnami/wordpress",
		HostEnv:     []string{"WORDPRESS_DATABASE_HOST", "MARIADB_HOST"},
		PasswordEnv: map[string]bool{"WORDPRESS_DATABASE_PASSWORD": false},
		Charset:     "config", User: 1001, Writable: bitnamiWordPressWritable,
	},
	// No chart of Bitnami's runs it any more: what it writes is not known.
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
		Charset:     "config", User: 1001, Writable: bitnamiMariaDBWritable,
	},
	"mysql": {
		Family: "bitnami/mysql", Role: Database, Port: 3306, DataPath: "/bitnami/mysql",
		PasswordEnv: map[string]bool{"MYSQL_PASSWORD": false, "MYSQL_ROOT_PASSWORD": true},
		Charset:     "config", User: 1001, Writable: bitnamiMySQLWritable,
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
		c.Port, c.HTTP, c.Writable = 9000, false, fpmWritable
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

// Official is the convention of the official image for a role (WordPress
// or Database): the contract expand renders for, whatever image the
// profile names.
func Official(role Role) Convention {
	if role == WordPress {
		return official["wordpress"]
	}
	return official["mysql"]
}

// EmptyDirs are the paths a read-only root file system needs an emptyDir
// for, and false when the root file system cannot be made read-only by
// mounting empty volumes: what the image writes is not known, or the image
// needs files of its own there (Seeded).
func (c Convention) EmptyDirs() ([]string, bool) {
	if c.Writable == nil {
		return nil, false
	}
	var out []string
	for _, w := range c.Writable {
		if w.Seeded {
			return nil, false
		}
		out = append(out, w.Path)
	}
	return out, true
}

// utility are shell images that init containers run: the image itself
// writes nothing (docker-library/busybox: FROM scratch, the root file
// system, CMD ["sh"], no entrypoint); the container's command writes
// where it says, which in an init container is its volumes, or /tmp for
// a file it stages.
var utility = map[string]Convention{
	"busybox": {Family: "busybox", Writable: []Writable{{Path: "/tmp"}}},
}

// Utility returns the convention of a shell image an init container runs
// (busybox), and false for any other. Lookup does not know them: they
// never play WordPress or the database.
func Utility(image string) (Convention, bool) {
	r := Parse(image)
	parts := strings.Split(r.Repository, "/")
	if len(parts) != 2 || parts[0] != "library" {
		return Convention{}, false
	}
	c, ok := utility[parts[1]]
	return c, ok
}
