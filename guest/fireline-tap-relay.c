/*
 * fireline-tap-relay: the test host's stand-in for a VMM. It joins a VM's TAP to one of the test host's own
 * NICs (the probe NIC), so whoever holds the other end of that NIC (the test, writing raw frames) is the guest:
 *
 *   fireline-tap-relay NETNS-PATH TAP NIC
 *
 * Frames that arrive on NIC are written into TAP, as a guest's frames are written by its VMM; frames read from
 * TAP (what the VM is sent) go out of NIC. NIC is opened in the namespace the relay starts in, TAP inside
 * NETNS-PATH (the VM's namespace), where it lives. Prints "RELAY READY" once both are open, then relays until
 * killed. Built static by build-host.sh: the initramfs has no C library of its own for it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <net/if.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/ethernet.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(const char *what)
{
    perror(what);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: fireline-tap-relay NETNS-PATH TAP NIC\n");
        return 2;
    }

    int wire = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (wire < 0)
        return fail("socket");
    struct sockaddr_ll at = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = (int)if_nametoindex(argv[3]) };
    if (at.sll_ifindex == 0 || bind(wire, (struct sockaddr *)&at, sizeof at) < 0)
        return fail(argv[3]);
    // The guest's frames are addressed to others, never to NIC: without promiscuous mode the NIC drops them.
    struct packet_mreq promiscuous = { .mr_ifindex = at.sll_ifindex, .mr_type = PACKET_MR_PROMISC };
    if (setsockopt(wire, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &promiscuous, sizeof promiscuous) < 0)
        return fail("promiscuous");

    int netns = open(argv[1], O_RDONLY | O_CLOEXEC);
    if (netns < 0 || setns(netns, CLONE_NEWNET) < 0)
        return fail(argv[1]);

    int tap = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    struct ifreq request = { .ifr_flags = IFF_TAP | IFF_NO_PI };
    strncpy(request.ifr_name, argv[2], IFNAMSIZ - 1);
    if (tap < 0 || ioctl(tap, TUNSETIFF, &request) < 0)
        return fail(argv[2]);

    printf("\nRELAY READY\n");
    fflush(stdout);
    static unsigned char frame[65536];
    struct pollfd ends[2] = { { .fd = wire, .events = POLLIN }, { .fd = tap, .events = POLLIN } };
    for (;;) {
        if (poll(ends, 2, -1) < 0)
            return fail("poll");
        if (ends[0].revents & POLLIN) {
            struct sockaddr_ll from;
            socklen_t length = sizeof from;
            ssize_t n = recvfrom(wire, frame, sizeof frame, 0, (struct sockaddr *)&from, &length);
            // The NIC's own transmissions (what the relay sends) come back as outgoing: not the guest's.
            if (n > 0 && from.sll_pkttype != PACKET_OUTGOING && write(tap, frame, (size_t)n) < 0)
                perror("write tap");
        }
        if (ends[1].revents & POLLIN) {
            ssize_t n = read(tap, frame, sizeof frame);
            if (n > 0 && send(wire, frame, (size_t)n, 0) < 0)
                perror("send nic");
        }
    }
}
