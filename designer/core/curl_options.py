"""curl's command-line options: which take an argument, and what each means for an import.

Knowing every option matters even for the ones the importer ignores: an option that takes an
argument swallows the next word, so an unknown ``--trace-ascii log.txt`` must not turn
``log.txt`` into a second URL. The table covers ``curl --help all`` of curl 7.88 plus the options
added up to curl 8.x, and resolves names the way curl does (``-XPOST``, ``-sSL``, unambiguous
abbreviations of long names, ``--no-`` before a boolean option).

``kind`` says how the importer treats an option:

* ``request``: read by the importer (method, URL, headers, data, credentials, timeouts...);
* ``output``: changes only what curl prints or saves, never what is sent (ignored, listed);
* ``connection``: how curl talks to the server (TLS or HTTP version, IP family, keepalive);
  the designer's HTTP client decides those itself (ignored, listed);
* ``proxy``, ``client_cert``, ``tls_trust``, ``routing``, ``cookie_jar``, ``config_file``,
  ``unsupported``: change the request or where it goes in a way a lookup config cannot hold;
  each gives a specific warning;
* ``not_http``: options of other protocols (FTP, SMTP, TELNET...), ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["OPTIONS", "SHORT", "Option", "OptionKind", "lookup_long"]

OptionKind = Literal[
    "request",
    "output",
    "connection",
    "proxy",
    "client_cert",
    "tls_trust",
    "routing",
    "cookie_jar",
    "config_file",
    "unsupported",
    "not_http",
]


@dataclass(frozen=True)
class Option:
    name: str  # the long name without dashes, e.g. "data-urlencode"
    takes_arg: bool
    kind: OptionKind
    short: str | None = None


# name, short, takes an argument, kind. One line per option, as ``curl --help all`` lists them.
_TABLE = """
abstract-unix-socket . 1 routing
alt-svc . 1 connection
anyauth . 0 request
append a 0 not_http
aws-sigv4 . 1 unsupported
basic . 0 request
ca-native . 0 connection
cacert . 1 tls_trust
capath . 1 tls_trust
cert E 1 client_cert
cert-status . 0 connection
cert-type . 1 client_cert
ciphers . 1 connection
compressed . 0 request
compressed-ssh . 0 not_http
config K 1 config_file
connect-timeout . 1 request
connect-to . 1 routing
continue-at C 1 unsupported
cookie b 1 request
cookie-jar c 1 cookie_jar
create-dirs . 0 output
create-file-mode . 1 output
crlf . 0 unsupported
crlfile . 1 tls_trust
curves . 1 connection
data d 1 request
data-ascii . 1 request
data-binary . 1 request
data-raw . 1 request
data-urlencode . 1 request
delegation . 1 unsupported
digest . 0 request
disable q 0 output
disable-eprt . 0 not_http
disable-epsv . 0 not_http
disallow-username-in-url . 0 connection
dns-interface . 1 routing
dns-ipv4-addr . 1 routing
dns-ipv6-addr . 1 routing
dns-servers . 1 routing
doh-cert-status . 0 routing
doh-insecure . 0 routing
doh-url . 1 routing
dump-ca-embed . 0 output
dump-header D 1 output
ech . 1 connection
egd-file . 1 connection
engine . 1 client_cert
etag-compare . 1 unsupported
etag-save . 1 output
expect100-timeout . 1 connection
fail f 0 output
fail-early . 0 output
fail-with-body . 0 output
false-start . 0 connection
follow . 0 request
form F 1 request
form-escape . 0 request
form-string . 1 request
ftp-account . 1 not_http
ftp-alternative-to-user . 1 not_http
ftp-create-dirs . 0 not_http
ftp-method . 1 not_http
ftp-pasv . 0 not_http
ftp-port P 1 not_http
ftp-pret . 0 not_http
ftp-skip-pasv-ip . 0 not_http
ftp-ssl-ccc . 0 not_http
ftp-ssl-ccc-mode . 1 not_http
ftp-ssl-control . 0 not_http
get G 0 request
globoff g 0 request
happy-eyeballs-timeout-ms . 1 connection
haproxy-clientip . 1 routing
haproxy-protocol . 0 routing
head I 0 request
header H 1 request
help h 1 output
hostpubmd5 . 1 not_http
hostpubsha256 . 1 not_http
hsts . 1 connection
http0.9 . 0 connection
http1.0 0 0 connection
http1.1 . 0 connection
http2 . 0 connection
http2-prior-knowledge . 0 connection
http3 . 0 connection
http3-only . 0 connection
ignore-content-length . 0 output
include i 0 output
insecure k 0 request
interface . 1 routing
ip-tos . 1 connection
ipfs-gateway . 1 not_http
ipv4 4 0 connection
ipv6 6 0 connection
json . 1 request
junk-session-cookies j 0 cookie_jar
keepalive-cnt . 1 connection
keepalive-time . 1 connection
key . 1 client_cert
key-type . 1 client_cert
knownhosts . 1 not_http
krb . 1 unsupported
libcurl . 1 output
limit-rate . 1 connection
list-only l 0 not_http
local-port . 1 routing
location L 0 request
location-trusted . 0 request
login-options . 1 not_http
mail-auth . 1 not_http
mail-from . 1 not_http
mail-rcpt . 1 not_http
mail-rcpt-allowfails . 0 not_http
manual M 0 output
max-filesize . 1 output
max-redirs . 1 request
max-time m 1 request
metalink . 0 unsupported
mptcp . 0 connection
negotiate . 0 request
netrc n 0 config_file
netrc-file . 1 config_file
netrc-optional . 0 config_file
next : 0 request
no-alpn . 0 connection
no-buffer N 0 output
no-clobber . 0 output
no-keepalive . 0 connection
no-npn . 0 connection
no-progress-meter . 0 output
no-sessionid . 0 connection
noproxy . 1 proxy
ntlm . 0 request
ntlm-wb . 0 request
oauth2-bearer . 1 request
out-null . 0 output
output o 1 output
output-dir . 1 output
parallel Z 0 output
parallel-immediate . 0 output
parallel-max . 1 output
pass . 1 client_cert
path-as-is . 0 request
pinnedpubkey . 1 tls_trust
post301 . 0 request
post302 . 0 request
post303 . 0 request
preproxy . 1 proxy
progress-bar # 0 output
proto . 1 connection
proto-default . 1 request
proto-redir . 1 connection
proxy x 1 proxy
proxy-anyauth . 0 proxy
proxy-basic . 0 proxy
proxy-ca-native . 0 proxy
proxy-cacert . 1 proxy
proxy-capath . 1 proxy
proxy-cert . 1 proxy
proxy-cert-type . 1 proxy
proxy-ciphers . 1 proxy
proxy-crlfile . 1 proxy
proxy-digest . 0 proxy
proxy-header . 1 proxy
proxy-http2 . 0 proxy
proxy-insecure . 0 proxy
proxy-key . 1 proxy
proxy-key-type . 1 proxy
proxy-negotiate . 0 proxy
proxy-ntlm . 0 proxy
proxy-pass . 1 proxy
proxy-pinnedpubkey . 1 proxy
proxy-service-name . 1 proxy
proxy-ssl-allow-beast . 0 proxy
proxy-ssl-auto-client-cert . 0 proxy
proxy-tls13-ciphers . 1 proxy
proxy-tlsauthtype . 1 proxy
proxy-tlspassword . 1 proxy
proxy-tlsuser . 1 proxy
proxy-tlsv1 . 0 proxy
proxy-user U 1 proxy
proxy1.0 . 1 proxy
proxytunnel p 0 proxy
pubkey . 1 not_http
quote Q 1 not_http
random-file . 1 connection
range r 1 request
rate . 1 output
raw . 0 unsupported
referer e 1 request
remote-header-name J 0 output
remote-name O 0 output
remote-name-all . 0 output
remote-time R 0 output
remove-on-error . 0 output
request X 1 request
request-target . 1 unsupported
resolve . 1 routing
retry . 1 output
retry-all-errors . 0 output
retry-connrefused . 0 output
retry-delay . 1 output
retry-max-time . 1 output
sasl-authzid . 1 not_http
sasl-ir . 0 not_http
service-name . 1 unsupported
show-error S 0 output
sigalgs . 1 connection
silent s 0 output
skip-existing . 0 output
socks4 . 1 proxy
socks4a . 1 proxy
socks5 . 1 proxy
socks5-basic . 0 proxy
socks5-gssapi . 0 proxy
socks5-gssapi-nec . 0 proxy
socks5-gssapi-service . 1 proxy
socks5-hostname . 1 proxy
speed-limit Y 1 output
speed-time y 1 output
ssl . 0 not_http
ssl-allow-beast . 0 connection
ssl-auto-client-cert . 0 client_cert
ssl-no-revoke . 0 connection
ssl-reqd . 0 not_http
ssl-revoke-best-effort . 0 connection
ssl-sessions . 1 connection
sslv2 2 0 connection
sslv3 3 0 connection
stderr . 1 output
styled-output . 0 output
suppress-connect-headers . 0 proxy
tcp-fastopen . 0 connection
tcp-nodelay . 0 connection
telnet-option t 1 not_http
tftp-blksize . 1 not_http
tftp-no-options . 0 not_http
time-cond z 1 unsupported
tls-earlydata . 0 connection
tls-max . 1 connection
tls13-ciphers . 1 connection
tlsauthtype . 1 client_cert
tlspassword . 1 client_cert
tlsuser . 1 client_cert
tlsv1 1 0 connection
tlsv1.0 . 0 connection
tlsv1.1 . 0 connection
tlsv1.2 . 0 connection
tlsv1.3 . 0 connection
tr-encoding . 0 unsupported
trace . 1 output
trace-ascii . 1 output
trace-config . 1 output
trace-ids . 0 output
trace-time . 0 output
unix-socket . 1 routing
upload-file T 1 request
upload-flags . 1 not_http
url . 1 request
url-query . 1 request
use-ascii B 0 not_http
user u 1 request
user-agent A 1 request
variable . 1 unsupported
verbose v 0 output
version V 0 output
vlan-priority . 1 connection
write-out w 1 output
xattr . 0 output
"""


def _parse_table(table: str) -> dict[str, Option]:
    options: dict[str, Option] = {}
    for line in table.strip().splitlines():
        name, short, arg, kind = line.split()
        options[name] = Option(name, arg == "1", kind, None if short == "." else short)  # type: ignore[arg-type]
    return options


#: Every option by long name.
OPTIONS: dict[str, Option] = _parse_table(_TABLE)
#: Single-letter options (``-d``) by letter.
SHORT: dict[str, Option] = {option.short: option for option in OPTIONS.values() if option.short}


def lookup_long(written: str) -> tuple[Option | None, bool, str]:
    """Resolve a long option name (without the leading ``--``) as curl does.

    Returns (option, negated, how): ``how`` is "" for an exact name, "abbreviation" for an
    unambiguous prefix, "ambiguous" or "unknown" when nothing was found. ``--expand-data`` (curl
    8.3's variable expansion) resolves to ``data``; the caller warns about the expansion.
    """
    name = written.lower()
    if name in OPTIONS:
        return OPTIONS[name], False, ""
    if name.startswith("expand-") and name[len("expand-") :] in OPTIONS:
        return OPTIONS[name[len("expand-") :]], False, "expand"
    if name.startswith("no-") and name[3:] in OPTIONS and not OPTIONS[name[3:]].takes_arg:
        return OPTIONS[name[3:]], True, ""
    matches = [option for key, option in OPTIONS.items() if key.startswith(name)]
    if len(matches) == 1:
        return matches[0], False, "abbreviation"
    return None, False, "ambiguous" if matches else "unknown"
