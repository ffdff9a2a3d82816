/* scenario.h: reading a scenario: YAML scenarios, Kubernetes manifests,
 * `kubectl get nodes -o yaml` node lists and compose files, checked and
 * resolved into the models' input types (models/spec.h).
 */
#ifndef KBSIM_SCENARIO_H
#define KBSIM_SCENARIO_H

#include <glib.h>

#include "models/spec.h"

G_BEGIN_DECLS

#define KB_SCENARIO_ERROR (kb_scenario_error_quark ())
GQuark kb_scenario_error_quark (void);

typedef enum {
    KB_SCENARIO_ERROR_INVALID,  /* the scenario has errors (all listed in
                                 * the message, one per line) */
    KB_SCENARIO_ERROR_IO,
    KB_SCENARIO_ERROR_FAILED
} KbScenarioError;

/* Loads and checks a scenario. On failure returns NULL and sets error
 * (KB_SCENARIO_ERROR_INVALID) whose message lists every problem found, one
 * per line, each "file:line:col: message", at most SCENARIO_MAX_ERRORS.
 * overrides: NULL or a NULL-terminated list of "path=value" (--set).
 * (transfer full): scenario_free(). */
#define SCENARIO_MAX_ERRORS 50
Scenario *scenario_load (const char *path, const char *const *overrides,
                         GError **error);
/* The same from the text data (len bytes, not NUL-terminated) read as
 * the file name: name appears in messages, and files the scenario
 * references are found relative to its folder. For tools and fuzzers
 * that hold a scenario in memory. (transfer full): scenario_free(). */
Scenario *scenario_load_data (const char *name, const char *data, gsize len,
                              const char *const *overrides, GError **error);

/* Loads a scenario as scenario_load() does, together with the Kubernetes
 * Pod manifest pod_path (one document, kind: Pod, as `kubectl apply`
 * takes it), checked as the scenario's own manifests are and resolved
 * against the scenario (its images, runtime classes and priority
 * classes). The pod goes to *pod, not among the scenario's workloads,
 * so no run ever creates it: it is for `kbsim headroom --pod`. The pod
 * file is read only when the scenario has no errors; errors in it are
 * reported as the scenario's are. On success *pod is set ((transfer
 * full): kb_workload_free(); it references the scenario's strings, so
 * free it first). */
Scenario *scenario_load_with_pod (const char *path,
                                  const char *const *overrides,
                                  const char *pod_path, KbWorkloadSpec **pod,
                                  GError **error);

/* The one-screen summary `kbsim validate` prints. (transfer full). */
char *scenario_describe (const Scenario *s);

G_END_DECLS

#endif
