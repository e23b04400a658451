"""The knowledge base's pages: `portal` for contacts (and visitors, for public articles),
`desk` for engineers. Mounted inside the portal's and the desk's URL namespaces."""
