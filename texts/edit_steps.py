"""Strings of the Edit page's "add a condition" filters and its fixed-place notices."""

STRINGS: dict[str, dict[str, str]] = {
    "edit.filters_count": {"en": "Filter rows ({count} condition(s))", "ko": "행 거르기 (조건 {count}개)"},
    "edit.pick_column": {"en": "Choose a column", "ko": "열 선택"},
    "edit.pick_condition": {"en": "Choose a condition", "ko": "조건 선택"},
    "edit.type_value": {"en": "Type a value", "ko": "값 입력"},
    "edit.add_filter": {"en": "Add condition", "ko": "조건 추가"},
    "edit.filter_incomplete": {"en": "Choose a column and a condition, and type a value, then add it.",
                               "ko": "열과 조건을 고르고 값을 입력한 뒤 추가하세요."},
    "edit.chip": {"en": "{column} {condition} {value}", "ko": "{column}: {value} {condition}"},
    "edit.chip_no_value": {"en": "{column} {condition}", "ko": "{column}: {condition}"},
    "edit.remove_filter": {"en": "Remove this condition", "ko": "이 조건 빼기"},
    "edit.no_draft": {"en": "No unsaved edits.", "ko": "저장하지 않은 수정이 없습니다."},
}
