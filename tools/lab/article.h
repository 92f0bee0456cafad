/* article.h — the article helpers: Python's urlparse, quote and mimetypes (article.c). */
#ifndef WIRELAB_ARTICLE_H
#define WIRELAB_ARTICLE_H

struct lab;

int cmd_url(struct lab *lab, int argc, char **argv);
int cmd_quote(struct lab *lab, int argc, char **argv);
int cmd_mime(struct lab *lab, int argc, char **argv);

#endif
