# regcred in a container: the static binaries in an empty (scratch) image,
# run as a non-root user. Two ways to get the binaries:
#
#   docker build -t regcred .                        # compiles them (musl, static)
#   docker build --build-arg SOURCE=prebuilt .       # takes dist/$TARGETARCH/{regcred,regcred-fn}
#
# The release workflow (.github/workflows/release.yml) uses the second with
# the release's own static binaries, for linux/amd64 and linux/arm64.
# Use:  docker run --rm -v "$PWD:/work" IMAGE lint .
ARG SOURCE=compiled

FROM rust:1-alpine AS compiled
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bins \
 && mkdir /out \
 && cp target/release/regcred target/release/regcred-fn /out/

FROM scratch AS prebuilt
ARG TARGETARCH
COPY dist/${TARGETARCH}/regcred dist/${TARGETARCH}/regcred-fn /out/

FROM ${SOURCE} AS binaries

FROM scratch
COPY --from=binaries /out/regcred /out/regcred-fn /usr/local/bin/
COPY LICENSE /usr/share/doc/regcred/LICENSE
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/regcred"]
CMD ["--help"]
