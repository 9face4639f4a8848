#!/bin/bash
# Entrypoint of the test cluster's WordPress stand-in image: Debian's apache2,
# libapache2-mod-php, php-mysql and wordpress packages, with the environment
# contract of the official wordpress:*-apache image that wordpress-fn renders
# for:
#   WORDPRESS_DB_HOST (host[:port], default mysql), WORDPRESS_DB_USER,
#   WORDPRESS_DB_PASSWORD, WORDPRESS_DB_NAME (default wordpress),
#   WORDPRESS_TABLE_PREFIX (default wp_), WORDPRESS_DEBUG.
# As there: the document root /var/www/html (the site's volume) is filled
# from the packaged WordPress when it holds none, wp-config.php reads the
# variables at run time (so a changed Secret needs only a restart), and
# Apache is exec'd in the foreground as PID 1: SIGTERM stops it at once, so
# the preStop hook is what gives a terminating pod time to drain.
set -euo pipefail

docroot=/var/www/html

if [[ "${1:-}" == apache2-foreground ]]; then
  mkdir -p "${docroot}"
  # Replicas share the volume: one of them copies, the others wait.
  exec 9>"${docroot}/.wordpress-fn-copy.lock"
  flock 9
  if [[ ! -e "${docroot}/wp-includes/version.php" ]]; then
    echo "wordpress-entrypoint: copying WordPress into ${docroot}" >&2
    # -L: Debian's package links wp-content and bundled JS elsewhere.
    cp -aL /usr/share/wordpress/. "${docroot}/"
    salts=""
    for key in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
      salts+="define('${key}', getenv('WORDPRESS_${key}') ?: '$(head -c 48 /dev/urandom | base64 -w0)');"$'\n'
    done
    cat > "${docroot}/wp-config.php" <<PHP
<?php
// Written by the wordpress-fn stand-in image's entrypoint: every setting is
// read from the environment at run time, as in the official image.
function wordpress_fn_env(\$name, \$default) {
	\$v = getenv(\$name);
	return (\$v === false || \$v === '') ? \$default : \$v;
}
define('DB_NAME', wordpress_fn_env('WORDPRESS_DB_NAME', 'wordpress'));
define('DB_USER', wordpress_fn_env('WORDPRESS_DB_USER', 'example username'));
define('DB_PASSWORD', wordpress_fn_env('WORDPRESS_DB_PASSWORD', 'example password'));
define('DB_HOST', wordpress_fn_env('WORDPRESS_DB_HOST', 'mysql'));
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
${salts}\$table_prefix = wordpress_fn_env('WORDPRESS_TABLE_PREFIX', 'wp_');
define('WP_DEBUG', (bool) wordpress_fn_env('WORDPRESS_DEBUG', ''));
if (!defined('ABSPATH')) {
	define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';
PHP
    chown -R www-data:www-data "${docroot}"
  fi
  flock -u 9
  exec 9>&-

  # Debian's envvars reads unset variables.
  set +u
  # shellcheck disable=SC1091
  source /etc/apache2/envvars
  set -u
  # /var/lock links to /run/lock, which nothing mounts here.
  mkdir -p /run/lock "${APACHE_RUN_DIR}" "${APACHE_LOCK_DIR}" "${APACHE_LOG_DIR}"
  rm -f "${APACHE_PID_FILE}"
  exec apache2 -DFOREGROUND
fi

exec "$@"
