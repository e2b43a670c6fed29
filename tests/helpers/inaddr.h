/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The network test helpers' address parsing: "ADDR" "PORT" (IPv4 or IPv6
 * text) into a sockaddr; exit 254 on an address that is neither.
 */
#ifndef CHARTER_TESTS_INADDR_H
#define CHARTER_TESTS_INADDR_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Returns the family; @ss and @len filled. */
static int sockaddr_of(const char *addr, const char *port,
		       struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in = (void *)ss;
	struct sockaddr_in6 *in6 = (void *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((unsigned short)atoi(port));
		*len = sizeof(*in);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((unsigned short)atoi(port));
		*len = sizeof(*in6);
		return AF_INET6;
	}
	fprintf(stderr, "bad address %s\n", addr);
	exit(254);
}

#endif
