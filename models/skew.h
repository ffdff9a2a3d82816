/* skew.h: Kubernetes' version-skew policy and Windows support by release.
 *
 * Facts: ../shared/reference/windows-kubernetes-facts.md section 4 (the
 * policy, kubeadm's messages) and section 3 (supported Windows Server
 * versions by Kubernetes era). Pure functions: knows no cluster.
 */
#ifndef KBSIM_SKEW_H
#define KBSIM_SKEW_H

#include <glib.h>

#include "models/platform.h"

G_BEGIN_DECLS

typedef enum {
    SKEW_OK,
    SKEW_NEWER,         /* the component is newer than the API server */
    SKEW_TOO_OLD        /* more minors older than the policy allows */
} SkewVerdict;

/* kubelet (and kube-proxy) against the oldest API server: never newer; at
 * most 3 minors older, or 2 when the kubelet is older than 1.25. */
SkewVerdict skew_kubelet (const KubeVersion *apiserver,
                          const KubeVersion *kubelet);
/* kube-controller-manager, kube-scheduler, cloud-controller-manager: never
 * newer, at most 1 minor older. */
SkewVerdict skew_control_plane_component (const KubeVersion *apiserver,
                                          const KubeVersion *component);
/* HA API servers: newest and oldest within one minor. */
gboolean    skew_apiservers_ok (const KubeVersion *a, const KubeVersion *b);
/* How many minors older than the API server a kubelet may be. */
guint       skew_kubelet_max_lag (const KubeVersion *kubelet);

/* One sentence: "kubelet 1.27 is 4 minor versions older than the API
 * server 1.31; the policy allows 3". (transfer full). */
char *skew_describe (SkewVerdict v, const char *component,
                     const KubeVersion *apiserver,
                     const KubeVersion *version);

#define KB_SKEW_ERROR (kb_skew_error_quark ())
GQuark kb_skew_error_quark (void);

typedef enum {
    KB_SKEW_ERROR_REFUSED
} KbSkewError;

/* Whether a control-plane upgrade from `from` to `to` may proceed with
 * the given kubelets (n of them): one minor at a time (not a downgrade,
 * no skipped minor), and no kubelet may end up outside the policy against
 * the new version. On refusal sets KB_SKEW_ERROR_REFUSED with kubeadm's
 * wording where kubeadm has one (facts section 4), naming the first
 * offending kubelet. */
gboolean skew_check_upgrade (const KubeVersion *from, const KubeVersion *to,
                             const KubeVersion *kubelets, guint n,
                             GError **error);

/* Windows Server builds a Kubernetes release supports as node OS (facts
 * section 3): 1.17 WS2019 and SAC 1809; 1.18 adds SAC 1903/1909; up to
 * 1.34 LTSC 2019 and 2022 (and SAC 20H2 where listed); from 1.35 (the
 * release-1.36 documentation) WS2022 and WS2025. */
gboolean skew_windows_build_supported (const KubeVersion *k8s, guint build);

G_END_DECLS

#endif
