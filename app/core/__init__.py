"""Cross-cutting helpers shared by the domain modules (formatting, validation, access, paging)."""
