/* table.h — the lab's commands, for main to hand to the shell (lab->commands). */
#ifndef WIRELAB_TABLE_H
#define WIRELAB_TABLE_H

struct command;

/* table_commands — every command, ending with an entry whose name is NULL. */
const struct command *table_commands(void);

#endif
