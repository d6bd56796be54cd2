"""Pictures of what happens inside: graphs, network diagrams, backward animations."""
