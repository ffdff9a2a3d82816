/* lesson.h: the narration `kbsim demo` tells over a lesson's scenario.
 *
 * A lesson is a scenario file (scenarios/lessons/NAME.yaml) with a
 * top-level `lesson` block: its title, the workload (or node) to explain,
 * an introduction, the moments to stop at with what to say there, and a
 * takeaway (scenarios/KEYS.md, "lesson"). The block is read here from the
 * YAML tree alone, never through the scenario loader, so that a lesson
 * whose scenario kbsim rejects (the rejection is the lesson) can still be
 * listed and told. The loader accepts the key and ignores its content.
 *
 * This file knows nothing of clusters or of how a lesson is shown: it
 * only reads and checks the block.
 */
#ifndef KBSIM_LESSON_H
#define KBSIM_LESSON_H

#include <glib.h>

#include "sim/time.h"

G_BEGIN_DECLS

#define KB_LESSON_ERROR (kb_lesson_error_quark ())
GQuark kb_lesson_error_quark (void);

typedef enum {
    KB_LESSON_ERROR_INVALID,    /* bad YAML or a bad lesson block (every
                                 * problem listed, one per line, each
                                 * "file:line:col: message") */
    KB_LESSON_ERROR_IO,         /* a file or folder could not be read */
    KB_LESSON_ERROR_NO_LESSON,  /* the file has no top-level lesson key */
    KB_LESSON_ERROR_FAILED
} KbLessonError;

typedef struct {
    SimTime at;                 /* run the cluster up to here */
    char *say;                  /* then show this */
} LessonMoment;

/* A lesson as read: a plain record, like the scenario types in
 * models/spec.h. Callers read it and never change it. */
typedef struct {
    char *name;                 /* the file's name without ".yaml" */
    gint64 order;               /* its place in the list */
    char *title;
    char *workload;             /* the `explain` key: whose pod to explain
                                 * (a workload's name), "node/NAME" for a
                                 * node, or NULL (a lesson whose scenario
                                 * kbsim rejects) */
    char *intro;
    LessonMoment *moments;      /* n_moments >= 1, in time order */
    guint n_moments;
    char *takeaway;
    char *scenario_text;        /* the file's text without the lesson
                                 * block: the scenario as a handout shows
                                 * it */
} Lesson;

/* Reads the lesson block of the scenario file at path. Errors:
 * KB_LESSON_ERROR_IO, KB_LESSON_ERROR_INVALID, KB_LESSON_ERROR_NO_LESSON.
 * (transfer full): lesson_free(). */
Lesson *lesson_load (const char *path, GError **error);
/* The same from text in memory; file names it in messages and gives the
 * lesson its name. */
Lesson *lesson_load_data (const char *data, gsize len, const char *file,
                          GError **error);
void    lesson_free (Lesson *lesson);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lesson, lesson_free)

/* Every lesson in the folder dir: each DIR/NAME.yaml (not in subfolders)
 * with a lesson block, by order, then by name. Files without the block
 * are skipped; any other error (an unreadable folder or file, bad YAML, a
 * bad block) fails the whole list, with the first failing file's error.
 * (transfer full): a GPtrArray of Lesson that frees them. */
GPtrArray *lesson_list (const char *dir, GError **error);

G_END_DECLS

#endif
