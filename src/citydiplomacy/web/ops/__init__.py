"""Operations: backup and restore of the whole registry (database rows + uploaded documents)."""
