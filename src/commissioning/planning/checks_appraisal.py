"""The Code's rules as they apply to a plan's options appraisal."""
