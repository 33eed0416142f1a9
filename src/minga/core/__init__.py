"""Pure domain cores: no Django; dataclasses in, dataclasses out."""
