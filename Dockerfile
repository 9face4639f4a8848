# The wordpress-fn KRM function image: the static binary on scratch.
#
#   make image                 # go build (CGO_ENABLED=0), then docker build
#   make image IMAGE=registry.example.com/me/wordpress-fn:v0.1.0
#
# Nothing is pulled: scratch is built in, and the binary is built on the host
# first (bin/wordpress-fn). kustomize and kpt run the image as
#   docker run --rm -i --network none --user nobody --security-opt=no-new-privileges IMAGE
# so it only reads stdin and writes stdout; --read-only works as well. The
# passwd file only resolves --user nobody (scratch has no users).
FROM scratch
COPY hack/image/etc/passwd hack/image/etc/group /etc/
COPY bin/wordpress-fn /usr/local/bin/wordpress-fn
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/wordpress-fn"]
