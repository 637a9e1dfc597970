#!/usr/bin/env bash
# Makes the X.509 fixture chains of pallet-makers' tests and benchmarks with OpenSSL (Debian's
# `openssl`), as a maker's PKI would: roots, intermediates and device (leaf) certificates, DER.
#
#   scripts/attestation-fixtures.sh            writes pallets/makers/fixtures/
#
# Every run makes new keys; the committed files are one run's output, and the tests read them
# as they are. A leaf's private key is written as its raw 32-byte P-256 scalar (`<leaf>.key`),
# so that tests can sign the device's proof of possession with it. Validity periods are fixed
# (2025-01-01 to 2125-01-01 unless a fixture is about time),
# so the fixtures do not expire. A leaf's public key is also written compressed (`<leaf>.pub`,
# 33 bytes), for the benchmarks, which cannot derive it from the scalar without std.
#
# What is made (chain = the certificates below the maker's root, leaf first):
#
#   p256-root                  P-256 root (maker "A")
#   p256-int                   P-256 intermediate under p256-root
#   p256-leaf                  device under p256-int              (valid P-256 chain)
#   p384-int                   P-384 intermediate under p256-root (ecdsa-with-SHA256)
#   p384-leaf                  device under p384-int              (ecdsa-with-SHA384)
#   rsa-root                   RSA-4096 root (maker "B")
#   rsa-int                    RSA-2048 intermediate under rsa-root
#   rsa-leaf                   device under rsa-int               (valid chain with an RSA root)
#   weak-rsa-int / -leaf       an RSA-1024 intermediate under rsa-root, and a device under it
#   e3-rsa-int / -leaf         an RSA-2048 intermediate with public exponent 3, and a device
#   expired-leaf               device under p256-int, valid 2020-2021
#   future-leaf                device under p256-int, valid from 2090
#   other-root / other-leaf    a root no maker has, and a device under it (wrong root)
#   deep-{1..4} / deep-leaf    P-256 intermediates four deep under p256-root (too deep)
#   large-leaf                 device under p256-int with a 3,000-byte extension (too large)
#   leaf-as-issuer             device under p256-leaf, which is no CA (not a CA)
#   bench-{p256,p384,rsa}-{root,1,2,3,leaf}
#                              per algorithm, a root, three intermediates and a leaf, every
#                              signature of that algorithm (RSA: 4096 bits, the largest
#                              accepted): the benchmarks' chains of depth 1 to 4
set -euo pipefail
cd "$(dirname "$0")/.."
out=pallets/makers/fixtures
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/ext.cnf" <<'EOF'
[v3_ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[v3_leaf]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
[v3_large]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
1.3.6.1.4.1.55555.1 = ASN1:UTF8String:LARGE_PAYLOAD
EOF
payload=$(head -c 3000 /dev/zero | tr '\0' 'x')
sed -i "s/LARGE_PAYLOAD/$payload/" "$work/ext.cnf"

serial=4096
# key NAME ALG: a private key (ALG: p256, p384, rsa1024, rsa2048, rsa2048e3, rsa4096).
key() {
	case "$2" in
	p256) openssl ecparam -name prime256v1 -genkey -noout -out "$work/$1.pem" ;;
	p384) openssl ecparam -name secp384r1 -genkey -noout -out "$work/$1.pem" ;;
	rsa1024) openssl genrsa -out "$work/$1.pem" 1024 2>/dev/null ;;
	rsa2048) openssl genrsa -out "$work/$1.pem" 2048 2>/dev/null ;;
	rsa4096) openssl genrsa -out "$work/$1.pem" 4096 2>/dev/null ;;
	rsa2048e3)
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
			-pkeyopt rsa_keygen_pubexp:3 -out "$work/$1.pem" 2>/dev/null
		;;
	esac
}
# digest of signatures by ALG's keys
digest() { case "$1" in p384) echo sha384 ;; *) echo sha256 ;; esac; }
# root NAME ALG: a self-signed root, valid 2025-01-01 to 2125-01-01 (`openssl ca -selfsign`:
# `openssl req -x509` of OpenSSL 3.0 cannot set a start date, and a root valid only from the
# run would not yet be valid at the tests' fixed time).
root() {
	key "$1" "$2"
	openssl req -new -key "$work/$1.pem" -subj "/O=DePIN fixtures/CN=$1" \
		-out "$work/$1.csr" -config "$work/ext.cnf" 2>/dev/null
	sign "$1" "$2" ca 20250101000000Z 21250101000000Z -selfsign -keyfile "$work/$1.pem"
	openssl x509 -in "$work/$1.crt" -outform DER -out "$out/$1.der"
	echo "$2" > "$work/$1.alg"
}
# sign NAME ALG EXT START END ARGS...: `openssl ca` issues NAME's CSR with the next serial,
# the digest of the issuer's algorithm ALG and the extensions EXT; ARGS name the issuer's
# certificate and key (or -selfsign and NAME's own key).
sign() {
	local name=$1 alg=$2 ext=$3 start=$4 end=$5
	shift 5
	serial=$((serial + 1))
	mkdir -p "$work/ca"
	: > "$work/ca/index.txt"
	printf '%X\n' "$serial" > "$work/ca/serial"
	cat > "$work/ca.cnf" <<EOF
[ca]
default_ca = fixtures
[fixtures]
database = $work/ca/index.txt
serial = $work/ca/serial
new_certs_dir = $work/ca
policy = anything
unique_subject = no
email_in_dn = no
copy_extensions = none
[anything]
O = optional
CN = supplied
EOF
	cat "$work/ext.cnf" >> "$work/ca.cnf"
	openssl ca -batch -notext -config "$work/ca.cnf" -extensions "v3_$ext" \
		-md "$(digest "$alg")" -startdate "$start" -enddate "$end" "$@" \
		-in "$work/$name.csr" -out "$work/$name.crt" 2>"$work/ca.log" || { cat "$work/ca.log" >&2; exit 1; }
}
# cert NAME ALG ISSUER EXT [START END]: NAME's key (ALG) certified by ISSUER.
cert() {
	local name=$1 alg=$2 issuer=$3 ext=$4
	local start=${5:-20250101000000Z} end=${6:-21250101000000Z}
	key "$name" "$alg"
	openssl req -new -key "$work/$name.pem" -subj "/O=DePIN fixtures/CN=$name" \
		-out "$work/$name.csr" -config "$work/ext.cnf" 2>/dev/null
	sign "$name" "$(cat "$work/$issuer.alg")" "$ext" "$start" "$end" \
		-cert "$work/$issuer.crt" -keyfile "$work/$issuer.pem"
	openssl x509 -in "$work/$name.crt" -outform DER -out "$out/$name.der"
	echo "$alg" > "$work/$name.alg"
	if [ "$ext" != ca ] && [ "$alg" = p256 ]; then
		# The raw 32-byte scalar, for the tests to sign as the device.
		# (SEC1 DER: 30 77 02 01 01 04 20, then the 32 bytes of the scalar.)
		openssl ec -in "$work/$name.pem" -outform DER 2>/dev/null |
			tail -c +8 | head -c 32 > "$out/$name.key"
		[ "$(stat -c %s "$out/$name.key")" = 32 ] || { echo "bad key for $name" >&2; exit 1; }
		# Its public key, compressed (33 bytes), as the chain registers device keys.
		openssl ec -in "$work/$name.pem" -pubout -conv_form compressed -outform DER 2>/dev/null |
			tail -c 33 > "$out/$name.pub"
	fi
}

root p256-root p256
cert p256-int p256 p256-root ca
cert p256-leaf p256 p256-int leaf
cert p384-int p384 p256-root ca
cert p384-leaf p256 p384-int leaf
root rsa-root rsa4096
cert rsa-int rsa2048 rsa-root ca
cert rsa-leaf p256 rsa-int leaf
cert weak-rsa-int rsa1024 rsa-root ca
cert weak-rsa-leaf p256 weak-rsa-int leaf
cert e3-rsa-int rsa2048e3 rsa-root ca
cert e3-rsa-leaf p256 e3-rsa-int leaf
cert expired-leaf p256 p256-int leaf 20200101000000Z 20210101000000Z
cert future-leaf p256 p256-int leaf 20900101000000Z 21250101000000Z
root other-root p256
cert other-leaf p256 other-root leaf
cert deep-1 p256 p256-root ca
cert deep-2 p256 deep-1 ca
cert deep-3 p256 deep-2 ca
cert deep-4 p256 deep-3 ca
cert deep-leaf p256 deep-4 leaf
cert large-leaf p256 p256-int large
cert leaf-as-issuer p256 p256-leaf leaf
for alg in p256 p384 rsa4096; do
	name=${alg%4096}
	root "bench-$name-root" "$alg"
	cert "bench-$name-1" "$alg" "bench-$name-root" ca
	cert "bench-$name-2" "$alg" "bench-$name-1" ca
	cert "bench-$name-3" "$alg" "bench-$name-2" ca
	cert "bench-$name-leaf" p256 "bench-$name-3" leaf
done
ls -l "$out"
