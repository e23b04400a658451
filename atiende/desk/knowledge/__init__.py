"""The knowledge base in the desk: writing articles, inserting them in replies, the
self-service report and the suggestions beside a ticket."""
