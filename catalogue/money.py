NBSP = "\u00a0"


def format_vnd(amount: int) -> str:
    """Integer VND as shoppers read it: 150000 → "150.000 ₫" (no-break space)."""
    return f"{amount:,}".replace(",", ".") + NBSP + "₫"
