"""NA-2's check of a needs assessment: its service and sector reviews open to everyone with a stake."""
