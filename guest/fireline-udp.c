/*
 * fireline-udp: the guest's UDP tool, because busybox nc speaks TCP only.
 *
 *   fireline-udp echo PORT                     answers every datagram on PORT with itself, and prints
 *                                              "RECV udp:PORT SOURCE:SPORT TEXT" for each on stdout
 *   fireline-udp send ADDR PORT TEXT SECONDS   sends TEXT once a second until an answer comes (printed,
 *                                              exit 0) or SECONDS pass (exit 1)
 *
 * Built static by build.sh: the initramfs has no C library.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int port_of(const char *text)
{
    char *end;
    long port = strtol(text, &end, 10);
    if (*end != '\0' || port < 1 || port > 65535) {
        fprintf(stderr, "fireline-udp: bad port %s\n", text);
        exit(2);
    }
    return (int)port;
}

static int echo(const char *port_text)
{
    struct sockaddr_in local = { .sin_family = AF_INET, .sin_port = htons(port_of(port_text)) };
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof local) < 0) {
        perror("fireline-udp: bind");
        return 1;
    }
    for (;;) {
        char buffer[2048];
        struct sockaddr_in peer;
        socklen_t length = sizeof peer;
        ssize_t n = recvfrom(fd, buffer, sizeof buffer - 1, 0, (struct sockaddr *)&peer, &length);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("fireline-udp: recvfrom");
            return 1;
        }
        buffer[n] = '\0';
        /* One line per datagram, whatever it holds: the reader parses lines. */
        for (ssize_t i = 0; i < n; i++)
            if (buffer[i] == '\n' || buffer[i] == '\r')
                buffer[i] = ' ';
        /* On a fresh line, like every report (the console may hold an unfinished one). */
        printf("\nRECV udp:%s %s:%d %s\n", port_text, inet_ntoa(peer.sin_addr), ntohs(peer.sin_port), buffer);
        fflush(stdout);
        sendto(fd, buffer, (size_t)n, 0, (struct sockaddr *)&peer, length);
    }
}

static int send_until_answered(const char *address, const char *port_text, const char *text, const char *seconds_text)
{
    struct sockaddr_in remote = { .sin_family = AF_INET, .sin_port = htons(port_of(port_text)) };
    if (inet_pton(AF_INET, address, &remote.sin_addr) != 1) {
        fprintf(stderr, "fireline-udp: bad address %s\n", address);
        return 2;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct timeval second = { .tv_sec = 1 };
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &second, sizeof second) < 0) {
        perror("fireline-udp: socket");
        return 1;
    }
    for (int attempt = atoi(seconds_text); attempt > 0; attempt--) {
        char buffer[2048];
        /* Unconnected: an ICMP "port unreachable" must not end the attempts while the peer starts. */
        if (sendto(fd, text, strlen(text), 0, (struct sockaddr *)&remote, sizeof remote) < 0) {
            sleep(1);
            continue;
        }
        ssize_t n = recv(fd, buffer, sizeof buffer - 1, 0);
        if (n >= 0) {
            buffer[n] = '\0';
            printf("%s\n", buffer);
            return 0;
        }
    }
    return 1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "echo") == 0)
        return echo(argv[2]);
    if (argc == 6 && strcmp(argv[1], "send") == 0)
        return send_until_answered(argv[2], argv[3], argv[4], argv[5]);
    fprintf(stderr, "usage: fireline-udp echo PORT | fireline-udp send ADDR PORT TEXT SECONDS\n");
    return 2;
}
