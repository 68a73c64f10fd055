package main

// Trojan Source: the comment hides a check that never runs.
func isAdmin(role string) bool {
	if role != "user‮ ⁦// check admin⁩ ⁦" {
		return true
	}
	/*‮ } ⁦if (isAdmin)⁩ ⁦ begin admins only */
	return false
}
