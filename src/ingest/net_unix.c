/*
 * net_unix: unix datagram listeners (rsyslog's omuxsock): a stale socket
 * left at the path is replaced, a live one or another file is not.
 */
/* recvmmsg(2), accept4(2), struct mmsghdr: GNU extensions. */
#define _GNU_SOURCE

#include "ingest/net_int.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/sbuf.h"

static int	unix_stale(const char *, char *, size_t);

/*
 * Is there a stale socket at path (one nobody receives on)?  A datagram
 * connect(2) tells: a live socket accepts it, a dead one is refused.
 * Returns 0 if path is free or stale (and then removed), -1 otherwise.
 */
static int
unix_stale(const char *path, char *err, size_t errsz)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		seterr(err, errsz, "unix:%s: exists and is not a socket", path);
		errno = EEXIST;
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	if (rc == 0) {
		seterr(err, errsz, "unix:%s: in use by another process", path);
		errno = EADDRINUSE;
		return -1;
	}
	if (errno != ECONNREFUSED)
		return -1;
	return unlink(path);
}

int
net_unix_listen(struct net *n, struct listener *l, const char *path,
    char *err, size_t errsz)
{
	struct sockaddr_un sun;
	struct stat st;
	size_t len = strlen(path);
	int fd, save;

	if (len == 0) {
		seterr(err, errsz, "unix: wants a path");
		errno = EINVAL;
		return -1;
	}
	if (len >= sizeof(sun.sun_path)) {
		seterr(err, errsz, "unix:%s: path longer than %zu bytes",
		    path, sizeof(sun.sun_path) - 1);
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, len);
	if (unix_stale(path, err, errsz) == -1) {
		if (errno != EEXIST && errno != EADDRINUSE)
			goto fail;
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if ((l->l_src.s_fd = fd) == -1)
		goto fail;
	net_dgram_rcvbuf(fd, n->n_lim.nl_rcvbuf);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		goto fail;
	if (lstat(path, &st) == -1)
		goto fail;
	memcpy(l->l_path, path, len + 1);
	l->l_family = AF_UNIX;
	l->l_dev = st.st_dev;
	l->l_ino = st.st_ino;
	snprintf(l->l_name, sizeof(l->l_name), "unix:%s", path);
	return 0;

fail:
	save = errno;
	seterr(err, errsz, "unix:%s: %s", path, strerror(save));
	errno = save;
	return -1;
}
