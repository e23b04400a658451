"""The knowledge base in the portal: categories, search, articles, votes, and the
suggestions while a ticket is typed (public articles also for visitors, when allowed)."""
