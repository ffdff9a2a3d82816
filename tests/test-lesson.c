/* test-lesson.c: the lesson block of a scenario file (scenarios/lesson.c).
 *
 * A good block reads into its fields; each bad one fails with the exact
 * file:line:col message; the scenario a handout shows loses the block and
 * nothing else; a folder of lessons comes out in its order; the loader
 * ignores the block; truncated copies of a lesson never crash the reader.
 */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "scenarios/lesson.h"
#include "scenarios/scenario.h"
#include "tests/support/testutil.h"

/* A lesson's scenario, then its block after a blank line, as the lessons
 * under scenarios/lessons/ are written. */
#define SCENARIO_PART \
    "# A comment about the scenario.\n" \
    "name: t\n" \
    "control_plane: {version: \"1.31\"}\n" \
    "node_pools:\n" \
    "  - {name: lnx, os: linux, count: 1}\n"
#define LESSON_PART \
    "\n" \
    "lesson:\n" \
    "  order: 3\n" \
    "  title: \"A title: with a colon\"\n" \
    "  explain: node/win-0\n" \
    "  intro: >-\n" \
    "    Two lines\n" \
    "    folded into one.\n" \
    "  moments:\n" \
    "    - {at: 30s, say: First.}\n" \
    "    - at: 1h1m\n" \
    "      say: >-\n" \
    "        Second,\n" \
    "        folded.\n" \
    "  takeaway: Done.\n"

static Lesson *
load_data (const char *text, GError **error)
{
    return lesson_load_data (text, strlen (text), "t.yaml", error);
}

static void
test_good (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (Lesson) l = load_data (SCENARIO_PART LESSON_PART, &error);

    g_test_summary ("every field of a good block is read, folded text "
                    "joined and durations parsed");
    g_assert_no_error (error);
    g_assert_nonnull (l);
    g_assert_cmpstr (l->name, ==, "t");
    g_assert_cmpint (l->order, ==, 3);
    g_assert_cmpstr (l->title, ==, "A title: with a colon");
    g_assert_cmpstr (l->workload, ==, "node/win-0");
    g_assert_cmpstr (l->intro, ==, "Two lines folded into one.");
    g_assert_cmpuint (l->n_moments, ==, 2);
    g_assert_cmpint (l->moments[0].at, ==, 30 * SIM_SEC);
    g_assert_cmpstr (l->moments[0].say, ==, "First.");
    g_assert_cmpint (l->moments[1].at, ==, SIM_HOUR + SIM_MINUTE);
    g_assert_cmpstr (l->moments[1].say, ==, "Second, folded.");
    g_assert_cmpstr (l->takeaway, ==, "Done.");
    g_assert_cmpstr (l->scenario_text, ==, SCENARIO_PART);
}

static void
test_minimal (void)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (Lesson) l = load_data (
        "lesson: {order: 0, title: T, intro: I, takeaway: K,\n"
        "         moments: [{at: 0, say: S}, {at: 0s, say: Same time.}]}\n",
        &error);

    g_test_summary ("explain may be left out (a rejected scenario), and "
                    "moments may share a time");
    g_assert_no_error (error);
    g_assert_null (l->workload);
    g_assert_cmpint (l->order, ==, 0);
    g_assert_cmpuint (l->n_moments, ==, 2);
    g_assert_cmpint (l->moments[1].at, ==, 0);
}

/* One line per case: the block (after "lesson:\n") and the whole error. */
static void
test_errors (void)
{
#define OK_ORDER "  order: 1\n"
#define OK_TEXT  "  title: T\n  intro: I\n  takeaway: K\n"
#define OK_MOM   "  moments: [{at: 1m, say: S}]\n"
    static const struct {
        const char *block;
        const char *message;
    } cases[] = {
        { OK_ORDER OK_MOM "  intro: I\n  takeaway: K\n",
          "t.yaml:2:3: lesson.title: missing, and it is required" },
        { OK_ORDER OK_MOM OK_TEXT "  tittle: U\n",
          "t.yaml:7:3: unknown key 'tittle' in lesson (did you mean "
          "'title'?)" },
        { OK_ORDER OK_MOM "  title: {a: b}\n  intro: I\n  takeaway: K\n",
          "t.yaml:4:10: lesson.title: expected a value, got a mapping" },
        { OK_ORDER OK_MOM "  title: \"\"\n  intro: I\n  takeaway: K\n",
          "t.yaml:4:10: lesson.title: must not be empty" },
        { OK_MOM OK_TEXT,
          "t.yaml:2:3: lesson.order: missing, and it is required" },
        { "  order: -1\n" OK_MOM OK_TEXT,
          "t.yaml:2:10: lesson.order: expected a non-negative integer, got "
          "'-1'" },
        { "  order: first\n" OK_MOM OK_TEXT,
          "t.yaml:2:10: lesson.order: expected a non-negative integer, got "
          "'first'" },
        { OK_ORDER OK_TEXT,
          "t.yaml:2:3: lesson.moments: missing, and it is required" },
        { OK_ORDER "  moments: []\n" OK_TEXT,
          "t.yaml:3:12: lesson.moments: needs at least one moment" },
        { OK_ORDER "  moments: {at: 1m}\n" OK_TEXT,
          "t.yaml:3:12: lesson.moments: expected a list, got a mapping" },
        { OK_ORDER "  moments: [1m]\n" OK_TEXT,
          "t.yaml:3:13: lesson.moments[0]: expected a mapping, got '1m'" },
        { OK_ORDER "  moments: [{at: 1m}]\n" OK_TEXT,
          "t.yaml:3:13: lesson.moments[0].say: missing, and it is required" },
        { OK_ORDER "  moments: [{say: S}]\n" OK_TEXT,
          "t.yaml:3:13: lesson.moments[0].at: missing, and it is required" },
        { OK_ORDER "  moments: [{at: 90, say: S}]\n" OK_TEXT,
          "t.yaml:3:18: lesson.moments[0].at: invalid duration '90': "
          "missing unit after '90' (use us, ms, s, m, h or d)" },
        { OK_ORDER "  moments: [{at: 2m, say: S}, {at: 1m, say: T}]\n"
          OK_TEXT,
          "t.yaml:3:36: lesson.moments[1].at: must not be earlier than the "
          "moment before it, got '1m'" },
        { OK_ORDER "  moments: [{at: 1m, sya: S, say: T}]\n" OK_TEXT,
          "t.yaml:3:22: unknown key 'sya' in lesson.moments[0] (did you "
          "mean 'say'?)" },
        { OK_ORDER OK_MOM OK_TEXT "  explain: node/\n",
          "t.yaml:7:12: lesson.explain: expected a workload or node/NAME, "
          "got 'node/'" },
        { OK_ORDER OK_MOM OK_TEXT "  explain: [iis]\n",
          "t.yaml:7:12: lesson.explain: expected a value, got a list" },
        /* several at once, in the order of the file */
        { "  moments: [{at: 1x, say: S}]\n  title: T\n",
          "t.yaml:2:3: lesson.order: missing, and it is required\n"
          "t.yaml:2:3: lesson.intro: missing, and it is required\n"
          "t.yaml:2:3: lesson.takeaway: missing, and it is required\n"
          "t.yaml:2:18: lesson.moments[0].at: invalid duration '1x': "
          "unknown unit 'x' (use us, ms, s, m, h or d)" },
    };

    g_test_summary ("each bad block fails with every problem as "
                    "file:line:col: message");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *text = g_strconcat ("lesson:\n", cases[i].block,
                                             NULL);
        g_autoptr (GError) error = NULL;
        g_autoptr (Lesson) l = load_data (text, &error);

        g_test_message ("case %" G_GSIZE_FORMAT ":\n%s", i, text);
        g_assert_null (l);
        g_assert_error (error, KB_LESSON_ERROR, KB_LESSON_ERROR_INVALID);
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }
#undef OK_ORDER
#undef OK_TEXT
#undef OK_MOM
}

static void
test_many_errors (void)
{
    g_autoptr (GString) text = g_string_new (
        "lesson:\n  order: 1\n  title: T\n  intro: I\n  takeaway: K\n"
        "  moments:\n");
    g_autoptr (GError) error = NULL;
    g_autoptr (Lesson) l = NULL;
    g_auto (GStrv) lines = NULL;

    g_test_summary ("past SCENARIO_MAX_ERRORS, the first ones in reading "
                    "order and a count of the rest");
    for (guint i = 0; i < SCENARIO_MAX_ERRORS + 10; i++)
        g_string_append (text, "    - {at: 1x, say: S}\n");
    l = load_data (text->str, &error);
    g_assert_null (l);
    g_assert_error (error, KB_LESSON_ERROR, KB_LESSON_ERROR_INVALID);
    lines = g_strsplit (error->message, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, SCENARIO_MAX_ERRORS + 1);
    g_assert_cmpstr (lines[0], ==, "t.yaml:7:12: lesson.moments[0].at: "
                     "invalid duration '1x': unknown unit 'x' (use us, ms, "
                     "s, m, h or d)");
    g_assert_cmpstr (lines[SCENARIO_MAX_ERRORS], ==,
                     "t.yaml: and 10 more errors");
}

static void
test_not_a_block (void)
{
    static const struct {
        const char *text;
        int code;
        const char *message;
    } cases[] = {
        { "lesson: soon\n", KB_LESSON_ERROR_INVALID,
          "t.yaml:1:9: lesson: expected a mapping, got 'soon'" },
        { "lesson:\n", KB_LESSON_ERROR_INVALID,
          "t.yaml:1:8: lesson: expected a mapping, got nothing" },
        { "lesson: {title: [\n", KB_LESSON_ERROR_INVALID, NULL },
        { "name: t\nseed: 1\n", KB_LESSON_ERROR_NO_LESSON,
          "t.yaml:1:1: not a lesson: no top-level 'lesson' key" },
        { "- lesson: {}\n", KB_LESSON_ERROR_NO_LESSON, NULL },
        { "", KB_LESSON_ERROR_NO_LESSON, NULL },
    };

    g_test_summary ("a block that is not a mapping, bad YAML, and a file "
                    "without a block");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GError) error = NULL;
        g_autoptr (Lesson) l = load_data (cases[i].text, &error);

        g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].text);
        g_assert_null (l);
        g_assert_error (error, KB_LESSON_ERROR, cases[i].code);
        if (cases[i].message)
            g_assert_cmpstr (error->message, ==, cases[i].message);
        else
            g_assert_true (g_str_has_prefix (error->message, "t.yaml:"));
    }
}

/* What a handout shows: the file without the block, wherever it is. */
static void
test_scenario_text (void)
{
#define BLOCK "lesson: {order: 1, title: T, intro: I, takeaway: K,\n" \
              "  moments: [{at: 0, say: S}]}\n"
    static const struct {
        const char *text;
        const char *without;
    } cases[] = {
        { "a: 1\n\n" BLOCK, "a: 1\n" },
        { "a: 1\n" BLOCK, "a: 1\n" },
        { "a: 1\n\n\n" BLOCK "\n", "a: 1\n" },
        { "a: 1\n\n" BLOCK "\n# About b.\nb: 2\n",
          "a: 1\n\n# About b.\nb: 2\n" },
        { BLOCK "\nb: 2\n", "\nb: 2\n" },
        { "# Head.\n" BLOCK "b: 2\n", "# Head.\nb: 2\n" },
        { "a: 1\n\n" "lesson: {order: 1, title: T, intro: I, takeaway: K,\n"
          "  moments: [{at: 0, say: S}]}", "a: 1\n" },
        /* a flow-style root cannot lose lines: it is shown whole */
        { "{a: 1, " BLOCK "}\n", "{a: 1, " BLOCK "}\n" },
    };

    g_test_summary ("the scenario text loses the block's lines and the "
                    "blank lines above it, nothing else");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GError) error = NULL;
        g_autoptr (Lesson) l = load_data (cases[i].text, &error);

        g_test_message ("case %" G_GSIZE_FORMAT ":\n%s", i, cases[i].text);
        g_assert_no_error (error);
        g_assert_cmpstr (l->scenario_text, ==, cases[i].without);
    }
#undef BLOCK
}

static void
write_file (const char *dir, const char *name, const char *text)
{
    g_autofree char *path = g_build_filename (dir, name, NULL);
    g_autoptr (GError) error = NULL;

    g_assert_true (g_file_set_contents (path, text, -1, &error));
    g_assert_no_error (error);
}

static void
remove_file (const char *dir, const char *name)
{
    g_autofree char *path = g_build_filename (dir, name, NULL);

    g_assert_cmpint (g_remove (path), ==, 0);
}

#define LESSON_AT(order) \
    "lesson: {order: " order ", title: T, intro: I, takeaway: K,\n" \
    "         moments: [{at: 0, say: S}]}\n"

static void
test_list (void)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp (NULL, &error);
    g_autofree char *sub = NULL;
    g_autoptr (GPtrArray) list = NULL;
    static const char *const expected[] = { "c", "a", "b" };

    g_test_summary ("a folder's lessons come by order, then name; files "
                    "without a block and other files are skipped");
    g_assert_no_error (error);
    write_file (dir, "b.yaml", LESSON_AT ("2"));
    write_file (dir, "a.yaml", LESSON_AT ("2"));
    write_file (dir, "c.yaml", LESSON_AT ("1"));
    write_file (dir, "plain.yaml", "name: plain\n");
    write_file (dir, "notes.txt", LESSON_AT ("0"));
    sub = g_build_filename (dir, "sub.yaml", NULL);
    g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
    list = lesson_list (dir, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (expected));
    for (guint i = 0; i < list->len; i++)
        g_assert_cmpstr (((Lesson *) g_ptr_array_index (list, i))->name, ==,
                         expected[i]);
    g_clear_pointer (&list, g_ptr_array_unref);

    /* One bad lesson fails the list, with its position. */
    write_file (dir, "d.yaml", "lesson: {order: 4}\n");
    list = lesson_list (dir, &error);
    g_assert_null (list);
    g_assert_error (error, KB_LESSON_ERROR, KB_LESSON_ERROR_INVALID);
    testutil_assert_contains (error->message, "/d.yaml:1:9: lesson.title: "
                              "missing, and it is required");
    g_clear_error (&error);

    g_assert_cmpint (g_rmdir (sub), ==, 0);
    remove_file (dir, "a.yaml");
    remove_file (dir, "b.yaml");
    remove_file (dir, "c.yaml");
    remove_file (dir, "d.yaml");
    remove_file (dir, "plain.yaml");
    remove_file (dir, "notes.txt");
    g_assert_cmpint (g_rmdir (dir), ==, 0);

    list = lesson_list (dir, &error);
    g_assert_null (list);
    g_assert_error (error, KB_LESSON_ERROR, KB_LESSON_ERROR_IO);
}

/* The lessons kbsim ships, in the order `kbsim demo` lists them. */
static void
test_shipped (void)
{
    static const char *const names[] = {
        "wrong-os", "daemonset-taint", "taint-no-toleration",
        "upgrade-single-build", "hyperv-runtimeclass", "single-manifest",
        "pause-wrong-build", "linux-only-fields", "skew-blocked-upgrade",
        "windows-control-plane", "slow-scale-out", "desktop-linux-daemon",
        "desktop-windows-daemon", "desktop-platform-flag",
        "desktop-side-by-side",
    };
    g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..",
                                                  "scenarios", "lessons",
                                                  NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) list = lesson_list (dir, &error);

    g_test_summary ("every shipped lesson reads, in the documented order; "
                    "only the rejected scenario explains nothing");
    g_assert_no_error (error);
    g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (names));
    for (guint i = 0; i < list->len; i++) {
        const Lesson *l = g_ptr_array_index (list, i);

        g_assert_cmpstr (l->name, ==, names[i]);
        g_assert_cmpint (l->order, ==, i + 1);
        g_assert_cmpuint (l->n_moments, >=, 1);
        testutil_assert_lacks (l->scenario_text, "\nlesson:");
        if (strcmp (l->name, "windows-control-plane") == 0)
            g_assert_null (l->workload);
        else
            g_assert_nonnull (l->workload);
    }
}

static void
test_loader_ignores (void)
{
    g_autoptr (Scenario) s = testutil_load_text (
        "name: t\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, count: 1, instance: m5.xlarge}\n"
        "lesson: {anything: [goes, {here: 1}]}\n");

    g_test_summary ("the scenario loader accepts a lesson block and reads "
                    "nothing of it");
    g_assert_cmpstr (s->name, ==, "t");
    g_assert_cmpuint (s->ignored_fields->len, ==, 0);
}

/* Every truncation of a shipped lesson reads or fails with an error,
 * never both, never a crash. */
static void
test_truncations (void)
{
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..",
                                                   "scenarios", "lessons",
                                                   "slow-scale-out.yaml",
                                                   NULL);
    g_autofree char *data = NULL;
    gsize len;

    g_test_summary ("truncated copies of a lesson read or fail cleanly");
    g_assert_true (g_file_get_contents (path, &data, &len, NULL));
    for (gsize cut = 0; cut <= len; cut++) {
        g_autoptr (GError) error = NULL;
        g_autoptr (Lesson) l = lesson_load_data (data, cut, "t.yaml", &error);

        g_assert_true ((l == NULL) != (error == NULL));
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    gsl_set_error_handler_off ();
    g_test_add_func ("/lesson/good", test_good);
    g_test_add_func ("/lesson/minimal", test_minimal);
    g_test_add_func ("/lesson/errors", test_errors);
    g_test_add_func ("/lesson/many-errors", test_many_errors);
    g_test_add_func ("/lesson/not-a-block", test_not_a_block);
    g_test_add_func ("/lesson/scenario-text", test_scenario_text);
    g_test_add_func ("/lesson/list", test_list);
    g_test_add_func ("/lesson/shipped", test_shipped);
    g_test_add_func ("/lesson/loader-ignores", test_loader_ignores);
    g_test_add_func ("/lesson/truncations", test_truncations);
    return g_test_run ();
}
