#!/usr/bin/env bash
# Config writers and start functions for the peers compare.sh measures Parley against. Every one
# listens on 127.0.0.1 only and makes no DNS or ident look-ups; flood and per-address limits are
# raised so that each is measured at its own best. Sourced by compare.sh.

write_ngircd_conf() { # DIR PORT
  cat > "$1/ngircd.conf" <<CONF
[Global]
    Name = bench.ngircd
    Info = benchmark
    Listen = 127.0.0.1
    Ports = $2
    PidFile = $1/ngircd.pid
    MotdPhrase = bench
[Limits]
    MaxConnections = 0
    MaxConnectionsIP = 0
    MaxJoins = 0
    MaxPenaltyTime = 0
    MaxNickLength = 32
    PingTimeout = 600
    PongTimeout = 600
[Options]
    DNS = no
    Ident = no
    PAM = no
CONF
}

write_inspircd_conf() { # DIR PORT USERS
  cat > "$1/inspircd.conf" <<CONF
<server name="bench.inspircd" description="benchmark" network="bench">
<admin name="bench" nick="bench" email="bench@localhost">
<bind address="127.0.0.1" port="$2" type="clients">
<connect name="main" allow="*" resolvehostnames="no" useident="no" threshold="1000000" commandrate="4000000000"
         fakelag="no" localmax="1000000" globalmax="1000000" maxconnwarn="off" hardsendq="256M" softsendq="16M"
         recvq="16M" pingfreq="600" timeout="600" limit="1000000">
<dns server="127.0.0.1" timeout="1">
<channels users="$3" opers="$3">
<limits maxnick="32" maxchan="64">
<pid file="$1/inspircd.pid">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="$1/inspircd.log">
<performance somaxconn="4096" softlimit="1000000" netbuffersize="65536">
<security hidesplits="no" announceinvites="dynamic">
CONF
}
