"""The load pipeline: sources → lift → (pseudonymise) → validate → fresh store → atomic swap."""
