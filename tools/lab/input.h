/* input.h — reading the shell's lines: GNU readline on a terminal (history, completion,
 * Ctrl-C clearing the line), plain lines otherwise (`lab < script`). Either way the wait
 * also watches the lesson server's output pipes and the signalfd, so the server's log
 * keeps flowing and its exit is noticed while the student is typing. */
#ifndef WIRELAB_INPUT_H
#define WIRELAB_INPUT_H

#include <stdbool.h>

struct lab;

#define HISTORY_LINES 1000

enum input_result {
	INPUT_LINE,        /* *line is set (the caller frees it) */
	INPUT_EOF,         /* Ctrl-D, end of input, or lab->quit was set by a signal */
	INPUT_INTERRUPTED, /* Ctrl-C: the line was dropped */
};

/* input_open — the reader for this process's stdin; history is loaded from
 * $XDG_DATA_HOME/wirelab/history (default ~/.local/share/wirelab/history) on a terminal.
 * Returns NULL when out of memory. */
struct input *input_open(struct lab *lab);

/* input_close — saves (caps) the history and frees the reader and readline's state. */
void input_close(struct input *in);

/* input_read — one line, shown after prompt (NULL: the shell's prompt, which names the
 * running lesson). remember adds it to the history. */
enum input_result input_read(struct lab *lab, const char *prompt, bool remember, char **line);

/* input_is_terminal — true when reading from a terminal through readline. */
bool input_is_terminal(const struct input *in);

#endif
