# Shared by the tests of real web programs (real-programs.sh, learn-real.sh):
# webfsd serves /srv/web on 127.0.0.1, curl fetches from it by the name
# charter-web.test (/etc/hosts of the image, scripts/vm.sh).
PORT=8180
OTHER=8181
URL=http://charter-web.test

# A socket listening on 127.0.0.1:PORT is in /proc/net/tcp in state 0A.
listening() { grep -q "0100007F:$(printf '%04X' "$1") 00000000:0000 0A" /proc/net/tcp; }
wait_listen() { # PID PORT: until PID listens on PORT (or dies)
	i=0
	until listening "$2"; do
		kill -0 "$1" 2>/dev/null || return 1
		i=$((i + 1))
		[ $i -lt 150 ] || return 1
		sleep 0.2
	done
}

# /srv/web with a page and a symlink out of it, to /srv/private.
web_files() {
	rm -rf /srv/web /srv/private
	mkdir -p /srv/web /srv/private
	echo "served page" > /srv/web/page.txt
	echo "private data" > /srv/private/secret.txt
	ln -s /srv/private/secret.txt /srv/web/leak.txt
}
