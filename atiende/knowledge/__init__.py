"""The knowledge base: articles in Spanish and English, who may read them, their search
index, votes and what reading them saves (suggestions while a ticket is written)."""
