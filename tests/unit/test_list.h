/* SPDX-License-Identifier: MIT */
/*
 * The registry of unit tests: every TEST(name) in tests/unit/u_*.c is listed
 * here once, in the order they run.  runner.c expands TEST_LIST twice, to
 * declare the functions and to build its table.  A TEST() missing from this
 * list compiles but never runs; a name listed here without a TEST() fails
 * to link.
 */
#ifndef TEST_LIST_H
#define TEST_LIST_H

#define TEST_LIST(X) \
	/* u_buf.c */ \
	X(buf_init_empty) \
	X(buf_add_basic) \
	X(buf_growth) \
	X(buf_grow_reserves) \
	X(buf_embedded_nul) \
	X(buf_max_refuses) \
	X(buf_max_grow_and_addf) \
	X(buf_addf_long) \
	X(buf_detach) \
	X(buf_detach_empty) \
	X(buf_truncate) \
	X(buf_truncate_beyond_end_is_a_bug) \
	X(buf_reset) \
	/* u_text.c */ \
	X(text_clean_passes_valid_text) \
	X(text_clean_invalid_bytes) \
	X(text_clean_rejects_overlongs) \
	X(text_clean_rejects_surrogates_and_beyond) \
	X(text_clean_controls) \
	X(text_clean_cr_lf_tab) \
	X(text_clean_appends) \
	X(text_squash_trims_and_collapses) \
	X(text_squash_nbsp_and_unicode_spaces) \
	X(text_squash_controls_and_invalid) \
	X(text_squash_appends) \
	X(text_utf8_valid) \
	X(text_json_str) \
	X(text_csv_field_quotes_and_defuses) \
	/* u_diag.c */ \
	X(diag_err_is_data_class) \
	X(diag_env_is_env_class) \
	X(diag_errno_appends_strerror) \
	X(diag_at_file_line_col) \
	X(diag_at_json_path) \
	X(diag_at_line_and_json_path) \
	X(diag_at_without_details) \
	X(diag_loc_str) \
	X(diag_per_code_limit) \
	X(diag_default_limit_is_20) \
	X(diag_failures_are_never_dropped) \
	X(diag_error_count) \
	X(diag_emit_callback) \
	X(diag_catalogue) \
	X(diag_release_frees_records) \
	/* u_csv.c */ \
	X(csv_simple_rows) \
	X(csv_fields_are_nul_terminated_and_reused) \
	X(csv_quoted_fields) \
	X(csv_quote_inside_plain_field_is_kept) \
	X(csv_bom_skipped) \
	X(csv_line_ends) \
	X(csv_crlf_file_line_numbers) \
	X(csv_line_numbers_after_multiline_field) \
	X(csv_detect_separator) \
	X(csv_semicolon_header_with_quoted_comma) \
	X(csv_explicit_sep_overrides_detection) \
	X(csv_empty_fields) \
	X(csv_blank_line) \
	X(csv_no_final_newline) \
	X(csv_text_after_closing_quote) \
	X(csv_unclosed_quote) \
	X(csv_nul_byte_in_field) \
	X(csv_record_longer_than_chunk) \
	X(csv_crlf_split_across_chunks) \
	X(csv_sha256_and_bytes) \
	X(csv_open_missing_file) \
	/* u_sha256.c */ \
	X(sha256_empty) \
	X(sha256_abc) \
	X(sha256_448_bits) \
	X(sha256_896_bits) \
	X(sha256_million_a) \
	X(sha256_padding_boundaries) \
	/* u_config.c */ \
	X(config_sections_and_values) \
	X(config_last_setting_wins) \
	X(config_get_int) \
	X(config_syntax_errors) \
	X(config_every_syntax_error_reported) \
	X(config_missing_file) \
	X(config_empty_file) \
	X(config_no_final_newline) \
	X(config_each_sub) \
	X(config_each_sub_other_section_with_same_prefix) \
	X(config_each_sub_names_with_dots) \
	/* u_strmap.c */ \
	X(strmap_empty) \
	X(strmap_put_get_replace) \
	X(strmap_keys_are_copied) \
	X(strmap_binary_keys) \
	X(strmap_growth) \
	X(strmap_reuse_after_release) \
	/* u_suppress.c */ \
	X(suppress_small_row_hidden_whole) \
	X(suppress_zero_and_small_cells_are_primary) \
	X(suppress_row_complement_is_smallest_shown) \
	X(suppress_group_row_complement_is_smallest_n) \
	X(suppress_no_complement_when_total_hidden) \
	X(suppress_column_complement) \
	X(suppress_nothing_to_hide) \
	X(suppress_total_cell_not_recoverable) \
	X(suppress_property_one_year) \
	X(suppress_property_several_years) \
	X(suppress_property_cross) \
	/* u_qn.c */ \
	X(qn_inherit_merges_by_key) \
	X(qn_inherit_errors_are_located_in_their_file) \
	X(qn_inherit_loop_and_missing_parent) \
	X(qn_compare_as_must_map_every_level) \
	X(qn_unknown_member_is_a_warning_with_a_suggestion) \
	X(qn_team_map_years_and_hierarchy) \
	X(qn_team_history_notes) \
	X(qn_team_map_errors) \
	X(qn_tally_counts_and_odd_values) \
	/* u_stats.c */ \
	X(stats_critical_values) \
	X(stats_wilson_check_values) \
	X(stats_fpc_check_values) \
	X(stats_two_proportion_check_values) \
	X(stats_chisq) \
	X(stats_holm_and_bh) \
	X(stats_t_and_median_rank) \
	/* u_where.c */ \
	X(where_dimensions) \
	X(where_items_and_year) \
	X(where_logic) \
	X(where_syntax_errors) \
	X(where_binding_errors) \
	/* u_collect.c */ \
	X(collect_url_redact) \
	X(collect_url_check) \
	X(collect_same_origin) \
	X(collect_time) \
	X(collect_base64) \
	X(collect_zip) \
	X(collect_cj_long) \
	X(collect_offline_page) \

#endif /* TEST_LIST_H */
